package io.qualitylake.batch.serve;

import java.nio.file.Path;
import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;

/**
 * HiveServer2's CUSTOM authentication for {@code qlake serve --auth password}: checks the user and password a
 * client sends against the users file named by the system property {@value #USERS_PROPERTY}. The password is
 * never logged; a refusal names only the user.
 */
public final class LakeAuthenticator implements PasswdAuthenticationProvider {
    public static final String USERS_PROPERTY = "qlake.serve.users";
    private static volatile UsersFile users;

    @Override
    public void Authenticate(String user, String password) throws AuthenticationException {
        if (!users().accepts(user, password)) {
            throw new AuthenticationException("qlake serve: wrong user name or password for user '" + user + "'");
        }
    }

    static UsersFile users() {
        UsersFile u = users;
        if (u == null) {
            synchronized (LakeAuthenticator.class) {
                if (users == null) {
                    users = UsersFile.load(Path.of(System.getProperty(USERS_PROPERTY)));
                }
                u = users;
            }
        }
        return u;
    }
}
