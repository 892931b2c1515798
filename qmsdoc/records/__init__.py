"""Reading submitted records: filled .docx forms and YAML/JSON/CSV exports → Record."""
