package org.hypertube.catalog.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.support.ResourcePropertySource;
import org.springframework.util.unit.DataSize;

/** Which sources exist for which configuration, with the defaults of catalog-sources.properties. */
class SourceWiringTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SourceHttpProperties.class, YtsProperties.class, ArchiveProperties.class,
            TmdbProperties.class, OmdbProperties.class, TorznabProperties.class,
            org.hypertube.system.OutsideProperties.class})
    @Import({org.hypertube.system.OutsideFetch.class, SourceHttp.class, YtsSource.class, ArchiveSource.class, TmdbSource.class, OmdbSource.class, TorznabSource.class})
    static class Sources {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> {
                try {
                    // Placed before the system environment, with the variables blanked below, so a
                    // key set on the build machine cannot change what the test sees.
                    context.getEnvironment().getPropertySources()
                            .addLast(new ResourcePropertySource("classpath:config/catalog-sources.properties"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })
            .withPropertyValues("TMDB_API_KEY=", "OMDB_API_KEY=", "TORZNAB_URL=", "TORZNAB_API_KEY=")
            .withUserConfiguration(Sources.class);

    @Test
    void withNoConfigurationOnlyTheKeylessSourcesExistWithTheDocumentedDefaults() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(FilmSource.class).values()).extracting(FilmSource::name)
                    .containsExactlyInAnyOrder("yts", "archive");
            SourceHttpProperties http = context.getBean(SourceHttpProperties.class);
            assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(6));
            assertThat(http.maxRetries()).isEqualTo(2);
            assertThat(http.maxResponseSize()).isEqualTo(DataSize.ofMegabytes(4));
            assertThat(http.cacheTtl()).isEqualTo(Duration.ofMinutes(10));
            YtsProperties yts = context.getBean(YtsProperties.class);
            assertThat(yts.baseUrl()).startsWith("https://").endsWith("/api/v2/");
            assertThat(yts.trackers()).contains("udp://tracker.opentrackr.org:1337/announce");
            assertThat(context.getBean(TorznabProperties.class).trackers()).isEqualTo(yts.trackers());
        });
    }

    @Test
    void keyedSourcesExistOnceTheirKeysAreSet() {
        runner.withPropertyValues("TMDB_API_KEY=abc123abc123", "OMDB_API_KEY=k", "TORZNAB_URL=http://127.0.0.1:9117/api",
                "TORZNAB_API_KEY=j").run(context -> assertThat(context.getBeansOfType(FilmSource.class).values())
                .extracting(FilmSource::name).containsExactlyInAnyOrder("yts", "archive", "tmdb", "omdb", "torznab"));
    }

    @Test
    void theKeylessSourcesCanBeSwitchedOff() {
        runner.withPropertyValues("YTS_ENABLED=false", "ARCHIVE_ENABLED=false")
                .run(context -> assertThat(context.getBeansOfType(FilmSource.class)).isEmpty());
    }

    @Test
    void aBadSettingStopsTheStartWithTheVariablesName() {
        runner.withPropertyValues("TORZNAB_URL=http://127.0.0.1:9117/api")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("TORZNAB_API_KEY"));
        runner.withPropertyValues("YTS_BASE_URL=yts.gg/api/v2")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("YTS_BASE_URL"));
    }
}
