package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.hypertube.system.HypertubeProperties;
import org.hypertube.system.OutsideFetch;
import org.hypertube.system.OutsideProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/** The settings bind from properties and the beans build from them (a bare context: no web, no database). */
class SubtitlePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SubtitleProperties.class, HypertubeProperties.class, OutsideProperties.class})
    @Import({SubtitleConfiguration.class, OutsideFetch.class, OpenSubtitles.class, SubtitleCache.class, Subtitles.class})
    static class Wiring {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Wiring.class)
            .withPropertyValues("hypertube.data-dir=/var/lib/hypertube");

    @Test
    void defaultsLeaveOpenSubtitlesOffAndCacheUnderTheDataFolder() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SubtitleProperties properties = context.getBean(SubtitleProperties.class);
            assertThat(properties.maxFileSize()).isEqualTo(DataSize.ofMegabytes(2));
            assertThat(properties.maxCues()).isEqualTo(20_000);
            assertThat(properties.opensubtitles().enabled()).isFalse();
            assertThat(properties.opensubtitles().baseUrl()).isEqualTo(URI.create("https://api.opensubtitles.com/api/v1"));
            assertThat(properties.opensubtitles().userAgent()).isEqualTo("Hypertube v0.1");
            assertThat(context.getBean(OpenSubtitles.class).enabled()).isFalse();
            assertThat(context.getBean(SubtitleCache.class).root()).isEqualTo(Path.of("/var/lib/hypertube/subtitles"));
            assertThat(context.getBean(WebVtt.class).maxBytes()).isEqualTo(2L << 20);
            assertThat(context).hasSingleBean(Subtitles.class).hasSingleBean(SidecarSubtitles.class).hasSingleBean(EmbeddedSubtitles.class);
        });
    }

    @Test
    void everySettingBinds() {
        runner.withPropertyValues(
                "hypertube.subtitles.opensubtitles.api-key= abc123 ",
                "hypertube.subtitles.opensubtitles.base-url=https://vip-api.opensubtitles.com/api/v1",
                "hypertube.subtitles.opensubtitles.user-agent=MyHypertube v2.0",
                "hypertube.subtitles.opensubtitles.username=neo",
                "hypertube.subtitles.opensubtitles.password=trinity",
                "hypertube.subtitles.opensubtitles.timeout=4s",
                "hypertube.subtitles.max-file-size=512KB",
                "hypertube.subtitles.max-cues=500",
                "hypertube.subtitles.cache-dir=/srv/subs",
                "hypertube.subtitles.ffmpeg-timeout=30s").run(context -> {
                    SubtitleProperties properties = context.getBean(SubtitleProperties.class);
                    assertThat(properties.opensubtitles().apiKey()).isEqualTo("abc123");
                    assertThat(properties.opensubtitles().logsIn()).isTrue();
                    assertThat(properties.opensubtitles().timeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(properties.opensubtitles().toString()).doesNotContain("abc123").doesNotContain("trinity");
                    assertThat(properties.ffmpegTimeout()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(context.getBean(OpenSubtitles.class).enabled()).isTrue();
                    assertThat(context.getBean(SubtitleCache.class).root()).isEqualTo(Path.of("/srv/subs"));
                    assertThat(context.getBean(WebVtt.class).maxBytes()).isEqualTo(512 * 1024);
                });
    }

    @Test
    void emptyEnvironmentVariablesMeanTheDefaults() {
        runner.withPropertyValues("hypertube.subtitles.opensubtitles.api-key=", "hypertube.subtitles.opensubtitles.username=",
                "hypertube.subtitles.opensubtitles.password=", "hypertube.subtitles.cache-dir=").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(OpenSubtitles.class).enabled()).isFalse();
                    assertThat(context.getBean(SubtitleProperties.class).opensubtitles().logsIn()).isFalse();
                    assertThat(context.getBean(SubtitleCache.class).root()).isEqualTo(Path.of("/var/lib/hypertube/subtitles"));
                });
    }

    @Test
    void nonsenseIsRefusedAtStart() {
        runner.withPropertyValues("hypertube.subtitles.max-file-size=100GB").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("hypertube.subtitles.opensubtitles.base-url=ftp://x").run(context -> assertThat(context).hasFailed());
    }
}
