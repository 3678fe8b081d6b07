from pii_audit.cli.app import run

run()
