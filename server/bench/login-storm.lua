-- Wrong logins for an account that does not exist: each costs a full argon2 verify.
wrk.method = "POST"
wrk.body = "login=999-999-999+01&password=not-the-password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
