package org.hypertube.account;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * What an OAuth2 provider told us about a person, reduced to what we use, every field bounded.
 *
 * @param emailVerified whether the provider vouches for the address: 42 manages its students'
 *                      addresses, GitHub only publishes verified ones, Google says so in {@code email_verified}
 */
record ProviderProfile(String provider, String subject, String email, boolean emailVerified, String login,
                       String firstName, String lastName) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static ProviderProfile from(String provider, Map<String, Object> a) {
        return switch (provider) {
            case "intra42" -> new ProviderProfile(provider, text(a, "id", 255), text(a, "email", 254),
                    a.get("email") != null, text(a, "login", 30), text(a, "first_name", 100), text(a, "last_name", 100));
            case "github" -> {
                String[] names = splitName(text(a, "name", 200));
                String email = text(a, "email", 254);
                yield new ProviderProfile(provider, text(a, "id", 255), email, email != null, text(a, "login", 30),
                        names[0], names[1]);
            }
            case "google" -> new ProviderProfile(provider, text(a, "sub", 255), text(a, "email", 254),
                    Boolean.TRUE.equals(a.get("email_verified")) || "true".equals(String.valueOf(a.get("email_verified"))),
                    localPart(text(a, "email", 254)), text(a, "given_name", 100), text(a, "family_name", 100));
            default -> throw new IllegalArgumentException("unknown OAuth2 provider " + provider);
        };
    }

    private static String text(Map<String, Object> attributes, String key, int max) {
        Object value = attributes.get(key);
        if (value == null) {
            return null;
        }
        String s = String.valueOf(value).strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static String[] splitName(String name) {
        if (name == null) {
            return new String[] {null, null};
        }
        int space = name.indexOf(' ');
        return space < 0 ? new String[] {name, null} : new String[] {name.substring(0, space), name.substring(space + 1).strip()};
    }

    private static String localPart(String email) {
        return email == null || !email.contains("@") ? null : email.substring(0, email.indexOf('@'));
    }
}
