package org.hypertube.playback.subtitle;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Language tags of subtitles: {@code "fr"}, {@code "pt-BR"}, {@code "und"}. ISO 639-1 when the
 * language has a two-letter code, else its three-letter one; a region only for the few variants
 * people tell apart in subtitles (Brazilian Portuguese, Chinese scripts, Latin-American Spanish...).
 * Reads ISO 639-1 codes, ISO 639-2 codes (terminology and bibliographic: {@code fra}, {@code fre}),
 * and language names in English or in the language itself ({@code French}, {@code Français},
 * {@code francais}, {@code Русский}), only for the languages that have a two-letter code.
 */
public final class SubtitleLanguages {

    public static final String UNDETERMINED = "und";
    private static final Pattern TAG = Pattern.compile("[a-z]{2,3}(-[A-Z]{2})?");
    private static final Pattern COMBINING = Pattern.compile("\\p{M}+");
    /** Regions kept after a language; others are dropped ({@code en-US} is just English). */
    private static final Set<String> KEPT_REGIONS = Set.of("pt-BR", "pt-PT", "zh-CN", "zh-TW", "zh-HK", "es-MX", "es-ES",
            "fr-CA", "en-GB", "en-US");
    /** ISO 639-2/B codes that differ from the /T ones the JDK gives. */
    private static final Map<String, String> BIBLIOGRAPHIC = Map.ofEntries(
            Map.entry("alb", "sq"), Map.entry("arm", "hy"), Map.entry("baq", "eu"), Map.entry("bur", "my"),
            Map.entry("chi", "zh"), Map.entry("cze", "cs"), Map.entry("dut", "nl"), Map.entry("fre", "fr"),
            Map.entry("geo", "ka"), Map.entry("ger", "de"), Map.entry("gre", "el"), Map.entry("ice", "is"),
            Map.entry("mac", "mk"), Map.entry("mao", "mi"), Map.entry("may", "ms"), Map.entry("per", "fa"),
            Map.entry("rum", "ro"), Map.entry("slo", "sk"), Map.entry("tib", "bo"), Map.entry("wel", "cy"),
            // OpenSubtitles' legacy code for Brazilian Portuguese
            Map.entry("pob", "pt-BR"));
    private static final Map<String, String> EXTRA_NAMES = Map.ofEntries(
            Map.entry("brazilian", "pt-BR"), Map.entry("brasileiro", "pt-BR"), Map.entry("castilian", "es"),
            Map.entry("castellano", "es"), Map.entry("latino", "es-MX"), Map.entry("farsi", "fa"),
            Map.entry("flemish", "nl"), Map.entry("mandarin", "zh"), Map.entry("cantonese", "zh-HK"),
            Map.entry("simplified", "zh-CN"), Map.entry("traditional", "zh-TW"), Map.entry("chs", "zh-CN"),
            Map.entry("cht", "zh-TW"), Map.entry("espanol", "es"), Map.entry("francais", "fr"),
            Map.entry("portugues", "pt"), Map.entry("deutsch", "de"));
    private static final Map<String, String> BY_CODE = new HashMap<>();
    private static final Map<String, String> BY_NAME = new HashMap<>();

    static {
        for (String two : Locale.getISOLanguages()) {
            Locale locale = Locale.of(two);
            BY_CODE.put(two, two);
            try {
                BY_CODE.put(locale.getISO3Language(), two);
            } catch (MissingResourceException ignored) {
                // no three-letter code known
            }
            for (String name : new String[] {locale.getDisplayLanguage(Locale.ENGLISH), locale.getDisplayLanguage(locale)}) {
                String key = fold(name);
                if (key.length() >= 4 && !key.contains(" ") && !key.equals(two)) {
                    BY_NAME.putIfAbsent(key, two);
                }
            }
        }
        BIBLIOGRAPHIC.forEach(BY_CODE::put);
        EXTRA_NAMES.forEach(BY_NAME::put);
    }

    private SubtitleLanguages() {
    }

    /** Lower-case, accents removed: how names are compared. */
    static String fold(String text) {
        return COMBINING.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /**
     * A code as ffprobe, OpenSubtitles or a file name gives it ({@code eng}, {@code fre},
     * {@code pt-BR}, {@code pt_br}, {@code zh-cn}) as a tag, or {@code "und"}.
     */
    public static String normalise(String code) {
        return fromCode(code).orElse(UNDETERMINED);
    }

    /** A code (not a name) as a tag. */
    static Optional<String> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        int dash = c.indexOf('-');
        String base = dash < 0 ? c : c.substring(0, dash);
        String language = BY_CODE.get(base);
        if (language == null) {
            return Optional.empty();
        }
        if (dash > 0 && !language.contains("-")) {
            String withRegion = language + "-" + c.substring(dash + 1).toUpperCase(Locale.ROOT);
            return Optional.of(KEPT_REGIONS.contains(withRegion) ? withRegion : language);
        }
        return Optional.of(language);
    }

    /** A language name in English or in itself as a tag. */
    static Optional<String> fromName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(fold(name.strip())));
    }

    /** Whether a text is a tag this class makes (and so safe in a file name once lower-cased). */
    public static boolean isTag(String tag) {
        return tag != null && (tag.equals(UNDETERMINED) || TAG.matcher(tag).matches());
    }

    /** The base language of a tag: {@code pt-BR} → {@code pt}. */
    public static String base(String tag) {
        int dash = tag.indexOf('-');
        return dash < 0 ? tag : tag.substring(0, dash);
    }

    /**
     * The language's name in the reader's language ({@code Locale.getDisplayLanguage}), with the
     * region when kept ({@code Portuguese (Brazil)}); the tag itself for {@code und} or an unknown code.
     */
    public static String displayName(String tag, Locale reader) {
        if (tag == null || tag.equals(UNDETERMINED)) {
            return UNDETERMINED;
        }
        Locale locale = Locale.forLanguageTag(tag);
        String language = locale.getDisplayLanguage(reader);
        if (language.isEmpty() || language.equalsIgnoreCase(locale.getLanguage())) {
            return tag;
        }
        String name = Character.toUpperCase(language.charAt(0)) + language.substring(1);
        String region = locale.getDisplayCountry(reader);
        return region.isEmpty() ? name : name + " (" + region + ")";
    }
}
