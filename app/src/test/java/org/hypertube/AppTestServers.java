package org.hypertube;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stand-in servers of {@link AppTestBase} (GreenMail, the OAuth2 and film-source fakes, the loopback DHT
 * hub) for applications a test starts itself, e.g. as child processes ({@code cluster.ClusterFixture}).
 */
public final class AppTestServers {

    private AppTestServers() {
    }

    /** Every setting AppTestBase gives the suite's application, as property name to value (database included). */
    public static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        AppTestBase.infrastructure((name, value) -> properties.put(name, String.valueOf(value.get())));
        return properties;
    }

    /** The first link to {@code path} in a mail to this address, waiting for the mail (see AppTestBase). */
    public static String mailedLink(String email, String path) throws Exception {
        return AppTestBase.mailedLink(email, path);
    }
}
