package org.hypertube.playback.subtitle;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The subtitle helpers with the operator's limits ({@link SubtitleProperties}). */
@Configuration(proxyBeanMethods = false)
class SubtitleConfiguration {

    @Bean
    WebVtt subtitleWebVtt(SubtitleProperties properties) {
        return properties.webVtt();
    }

    @Bean
    SidecarSubtitles sidecarSubtitles(SubtitleProperties properties) {
        return new SidecarSubtitles(properties.maxFileSize().toBytes());
    }

    @Bean
    EmbeddedSubtitles embeddedSubtitles(WebVtt subtitleWebVtt, SubtitleProperties properties) {
        return new EmbeddedSubtitles(subtitleWebVtt, properties.ffmpegTimeout());
    }
}
