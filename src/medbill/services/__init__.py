"""Use cases: each function is one business action, run in one unit of work of the store.

The A/R services: record claims and post their charges (`charges`), post a remittance (`era`),
work the exception and denial queues (`queues`), bill the secondary payer (`secondary`), a
biller's own entries and checks (`journal`), and the reports (`reports`).
"""
