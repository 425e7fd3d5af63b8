# Nothing of rounds is registered in the admin: it is the sysadmin's configuration tool, and the sysadmin
# sees no case content (terms, rounds, teams and inspections are managed on the rounds pages).
