"""What anyone sees of signatories: the directory, profiles, the open-data API and the
applicant's side of signing. Views share code with the other audiences only through the domain
(``signatories.services``, ``signatories.selectors``, ``signatories.directory``)."""
