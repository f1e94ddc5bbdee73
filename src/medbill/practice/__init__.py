"""The practice the app serves: records (patients, payers, providers, encounters, claims on the
worklist, batches), accounts and roles, and pure helpers that turn an encounter into a claim."""
