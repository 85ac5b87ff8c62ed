-- paris_desk team schema, version 8: admins add members without CREATEROLE.
--
-- Before, an admin's login role had CREATEROLE. On PostgreSQL 15 that lets a role grant
-- itself nearly anything short of superuser (pg_execute_server_program: running programs on
-- the database server, pg_read_server_files…). Now members are added only through
-- paris_desk.add_member(), a SECURITY DEFINER function owned by the schema's owner (the role
-- that ran `team init`, which has CREATEROLE), executable by paris_desk_admin only, which
-- creates a LOGIN role with an already-hashed SCRAM password in one of the three groups and
-- nothing else. The admins made by earlier versions lose CREATEROLE.

CREATE FUNCTION paris_desk.add_member(member_name text, member_role text, password_hash text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF member_name !~ '^[a-z][a-z0-9_.-]{0,62}$' OR member_name LIKE 'pg\_%'
       OR member_name LIKE 'paris\_desk\_%' THEN
        RAISE EXCEPTION 'invalid member name %', member_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF member_role NOT IN ('redacteur', 'validateur', 'admin') THEN
        RAISE EXCEPTION 'invalid role %', member_role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF password_hash NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'the password must be a SCRAM-SHA-256 hash'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = member_name) THEN
        RAISE EXCEPTION 'role % exists', member_name USING ERRCODE = 'duplicate_object';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', member_name, password_hash);
    EXECUTE format('GRANT %I TO %I', 'paris_desk_' || member_role, member_name);
END
$$;
REVOKE ALL ON FUNCTION paris_desk.add_member(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION paris_desk.add_member(text, text, text) TO paris_desk_admin;

DO $$
DECLARE
    admin record;
BEGIN
    FOR admin IN
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolcanlogin AND r.rolcreaterole AND NOT r.rolsuper
          AND pg_has_role(r.oid, 'paris_desk_admin', 'member')
    LOOP
        EXECUTE format('ALTER ROLE %I NOCREATEROLE', admin.rolname);
        EXECUTE format('REVOKE ADMIN OPTION FOR paris_desk_redacteur, paris_desk_validateur,'
                       ' paris_desk_admin FROM %I', admin.rolname);
    END LOOP;
END
$$;
