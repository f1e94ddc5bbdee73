"""CMS Medicare Code Editor (MCE) edit lists: parser of the "Definitions of Medicare Code Edits" text."""
