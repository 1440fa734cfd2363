package org.hypertube.account;

import java.util.Locale;
import java.util.function.Predicate;

/** What a username may look like, and how to find a free one near a provider's login. */
final class Usernames {

    /** 3 to 30 letters, digits, '.', '_' or '-'; safe in URLs and never mistaken for markup. */
    static final String PATTERN = "^[A-Za-z0-9._-]{3,30}$";

    private Usernames() {
    }

    static String suggest(String wanted, Predicate<String> free) {
        String base = wanted == null ? "" : wanted.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
        if (base.length() < 3) {
            base = (base + "member").substring(0, Math.max(6, base.length()));
        }
        base = base.length() > 26 ? base.substring(0, 26) : base;
        if (free.test(base)) {
            return base;
        }
        for (int i = 2; i < 1000; i++) {
            if (free.test(base + i)) {
                return base + i;
            }
        }
        return "";
    }
}
