-- orgs.member_count = members placed directly in the organization, kept by statement-level triggers
-- with transition tables: one grouped UPDATE per statement, so a 10,000-row import costs one update
-- per organization touched. Subtree counts become a sum over an index range of orgs.
CREATE OR REPLACE FUNCTION members_count_insert() RETURNS trigger AS $$
BEGIN
  UPDATE orgs o SET member_count = o.member_count + d.n
    FROM (SELECT org_id, count(*)::int AS n FROM new_rows GROUP BY org_id) d WHERE o.id = d.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION members_count_delete() RETURNS trigger AS $$
BEGIN
  UPDATE orgs o SET member_count = o.member_count - d.n
    FROM (SELECT org_id, count(*)::int AS n FROM old_rows GROUP BY org_id) d WHERE o.id = d.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION members_count_update() RETURNS trigger AS $$
BEGIN
  UPDATE orgs o SET member_count = o.member_count + d.n
    FROM (
      SELECT org_id, sum(n)::int AS n FROM (
        SELECT org_id, -1 AS n FROM old_rows UNION ALL SELECT org_id, 1 AS n FROM new_rows
      ) x GROUP BY org_id HAVING sum(n) <> 0
    ) d WHERE o.id = d.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER members_count_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_count_insert();
--> statement-breakpoint
CREATE TRIGGER members_count_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION members_count_delete();
--> statement-breakpoint
CREATE TRIGGER members_count_update AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_count_update();
--> statement-breakpoint
UPDATE orgs o SET member_count = c.n FROM (SELECT org_id, count(*)::int AS n FROM members GROUP BY org_id) c WHERE o.id = c.org_id;
