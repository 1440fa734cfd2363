package org.hypertube.system;

import java.util.List;
import java.util.Locale;

/** The languages the whole UI is translated into; English is the default. */
public final class Languages {

    /** A language code and its name in that language, as shown in the switcher. */
    public record Language(String code, String name) {
    }

    public static final List<Language> ALL = List.of(
            new Language("en", "English"),
            new Language("fr", "Français"),
            new Language("es", "Español"),
            new Language("de", "Deutsch"));

    public static final Locale DEFAULT = Locale.ENGLISH;

    private Languages() {
    }

    public static boolean isSupported(String code) {
        return code != null && ALL.stream().anyMatch(l -> l.code().equals(code));
    }
}
