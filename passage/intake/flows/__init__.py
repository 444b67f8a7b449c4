"""Question flows as data: `programs/<program>/questions.yaml` (schema.py loads it), the
engine that walks it (engine.py: next page, one page's validation, the answers as
interchange facts), and the words of its messages (messages.py). schema.py and engine.py
import nothing from Django."""
