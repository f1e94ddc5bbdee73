"""ICD-10-CM Alphabetic Index, External Cause index, Neoplasm table and Table of Drugs and Chemicals."""
