-- Issue 18 §7: an organization's search initials now also hold those of each part of its name ("hmzczc czc": the village on its own). Emptied here; the start-up fills them again (orgs/initials.ts fillOrgInitials).
UPDATE "orgs" SET "name_initials" = NULL;
