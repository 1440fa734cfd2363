package org.hypertube.catalog.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which configured base URLs are trusted past the outside-address check: the operator's, not the built-in services'. */
class SourceBaseUrlTrustTest {

    /** The built-in defaults, as config/catalog-sources.properties gives them. */
    static List<String> builtInDefaults() throws Exception {
        Properties p = new Properties();
        try (InputStream in = SourceBaseUrlTrustTest.class.getResourceAsStream("/config/catalog-sources.properties")) {
            p.load(in);
        }
        List<String> urls = new ArrayList<>();
        Pattern fallback = Pattern.compile("\\$\\{[A-Z_]+_URL:(https?://[^}]+)}");
        for (String name : p.stringPropertyNames()) {
            Matcher m = fallback.matcher(p.getProperty(name));
            if (m.matches()) {
                urls.add(m.group(1));
            }
        }
        return urls;
    }

    @Test
    void theBuiltInServicesAreNotTrusted() throws Exception {
        List<String> defaults = builtInDefaults();
        assertThat(defaults).hasSizeGreaterThanOrEqualTo(5);
        for (String url : defaults) {
            assertThat(SourceBaseUrl.operatorChosen(SourceBaseUrl.require(url, "X"))).as(url).isFalse();
        }
        assertThat(SourceBaseUrl.operatorChosen("https://API.themoviedb.org:443/4")).isFalse();
    }

    @Test
    void aUrlTheOperatorSetIsTrusted() {
        assertThat(SourceBaseUrl.operatorChosen("http://127.0.0.1:9117/api/v2.0/indexers/yts/results/torznab/api")).isTrue();
        assertThat(SourceBaseUrl.operatorChosen("https://yts.mirror.example:8443/api/v2")).isTrue();
        assertThat(SourceBaseUrl.operatorChosen("http://archive.org:8080")).isTrue();
    }
}
