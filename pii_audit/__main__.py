from pii_audit.cli.app import main

main()
