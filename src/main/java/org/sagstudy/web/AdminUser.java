package org.sagstudy.web;

import java.time.OffsetDateTime;

/** A row of {@code admin_user}: someone who may sign in; the password is stored as a bcrypt hash. */
record AdminUser(long id, String username, String passwordHash, String roles, OffsetDateTime createdAt) {
}
