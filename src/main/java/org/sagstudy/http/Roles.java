package org.sagstudy.http;

/**
 * The roles of an account ({@code admin_user.roles}). An instance admin manages every study and the accounts; a
 * researcher sees and changes only the studies they own or collaborate on (photos and jobs are shared by everyone).
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String RESEARCHER = "researcher";

    private Roles() {
    }
}
