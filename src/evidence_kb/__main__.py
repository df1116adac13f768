"""Allow ``python -m evidence_kb``."""

from evidence_kb.cli import main

raise SystemExit(main())
