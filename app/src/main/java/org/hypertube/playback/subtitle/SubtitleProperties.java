package org.hypertube.playback.subtitle;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Subtitles: limits, the cache folder and OpenSubtitles.
 *
 * @param opensubtitles the OpenSubtitles.com REST API; off without a key
 * @param maxFileSize   a subtitle file (sidecar, download, ffmpeg output) larger than this is refused
 *                      (SUBTITLES_MAX_FILE_SIZE, 2MB)
 * @param maxCues       a file with more cues is refused (SUBTITLES_MAX_CUES, 20000)
 * @param cacheDir      converted WebVTT files (SUBTITLES_CACHE_DIR); unset: {@code <HYPERTUBE_DATA_DIR>/subtitles}
 * @param ffmpegTimeout the longest one ffprobe or ffmpeg run for subtitles may take (SUBTITLES_FFMPEG_TIMEOUT, 2m)
 */
@ConfigurationProperties("hypertube.subtitles")
public record SubtitleProperties(OpenSubtitlesSettings opensubtitles, DataSize maxFileSize, Integer maxCues, Path cacheDir,
                                 Duration ffmpegTimeout) {

    public SubtitleProperties {
        opensubtitles = opensubtitles == null ? OpenSubtitlesSettings.off() : opensubtitles;
        maxFileSize = maxFileSize == null ? DataSize.ofMegabytes(2) : maxFileSize;
        if (maxFileSize.toBytes() < 1024 || maxFileSize.toBytes() > DataSize.ofMegabytes(64).toBytes()) {
            throw new IllegalArgumentException("SUBTITLES_MAX_FILE_SIZE must be between 1KB and 64MB, not " + maxFileSize);
        }
        maxCues = maxCues == null ? WebVtt.DEFAULT_MAX_CUES : maxCues;
        if (maxCues < 1 || maxCues > 1_000_000) {
            throw new IllegalArgumentException("SUBTITLES_MAX_CUES must be between 1 and 1000000, not " + maxCues);
        }
        ffmpegTimeout = positive(ffmpegTimeout, Duration.ofMinutes(2), "SUBTITLES_FFMPEG_TIMEOUT");
        // SUBTITLES_CACHE_DIR= (empty) means the default, not the working directory
        cacheDir = cacheDir == null || cacheDir.toString().isBlank() ? null : cacheDir;
    }

    /** All defaults, OpenSubtitles off. */
    public static SubtitleProperties defaults() {
        return new SubtitleProperties(null, null, null, null, null);
    }

    /** The converter with these limits. */
    public WebVtt webVtt() {
        return new WebVtt(maxFileSize.toBytes(), maxCues);
    }

    /**
     * OpenSubtitles.com (REST API v1).
     *
     * @param apiKey         the consumer key of the operator's opensubtitles.com account (OPENSUBTITLES_API_KEY);
     *                       empty: the source is off
     * @param baseUrl        OPENSUBTITLES_BASE_URL, https://api.opensubtitles.com/api/v1
     * @param userAgent      sent with every request, {@code <App> v<version>} as their rules ask
     *                       (OPENSUBTITLES_USER_AGENT, "Hypertube v0.1")
     * @param username       optional account (OPENSUBTITLES_USERNAME): logged in, downloads count against
     *                       the account's quota (10-20 a day free) instead of the server's address (5)
     * @param password       OPENSUBTITLES_PASSWORD, with the username
     * @param connectTimeout to open a connection (OPENSUBTITLES_CONNECT_TIMEOUT, 3s)
     * @param timeout        one whole request, body included (OPENSUBTITLES_TIMEOUT, 10s)
     */
    public record OpenSubtitlesSettings(String apiKey, URI baseUrl, String userAgent, String username, String password,
                                        Duration connectTimeout, Duration timeout) {

        public static final URI DEFAULT_BASE_URL = URI.create("https://api.opensubtitles.com/api/v1");
        public static final String DEFAULT_USER_AGENT = "Hypertube v0.1";

        public OpenSubtitlesSettings {
            apiKey = apiKey == null ? "" : apiKey.strip();
            baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
            if (!("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme())) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("OPENSUBTITLES_BASE_URL must be an http(s) URL, not " + baseUrl);
            }
            userAgent = userAgent == null || userAgent.isBlank() ? DEFAULT_USER_AGENT : userAgent.strip();
            username = username == null || username.isBlank() ? null : username.strip();
            password = password == null || password.isEmpty() ? null : password;
            connectTimeout = positive(connectTimeout, Duration.ofSeconds(3), "OPENSUBTITLES_CONNECT_TIMEOUT");
            timeout = positive(timeout, Duration.ofSeconds(10), "OPENSUBTITLES_TIMEOUT");
        }

        static OpenSubtitlesSettings off() {
            return new OpenSubtitlesSettings(null, null, null, null, null, null, null);
        }

        public boolean enabled() {
            return !apiKey.isEmpty();
        }

        /** Whether downloads log in first (both username and password set). */
        public boolean logsIn() {
            return username != null && password != null;
        }

        @Override
        public String toString() {
            return "OpenSubtitlesSettings[apiKey=" + (apiKey.isEmpty() ? "(none)" : "(set)") + ", baseUrl=" + baseUrl
                    + ", userAgent=" + userAgent + ", username=" + username + ", password=" + (password == null ? "(none)" : "(set)")
                    + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout + "]";
        }
    }

    private static Duration positive(Duration value, Duration fallback, String variable) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(variable + " must be a positive duration, not " + value);
        }
        return value;
    }
}
