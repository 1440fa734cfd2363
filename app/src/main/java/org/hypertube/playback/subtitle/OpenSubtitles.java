package org.hypertube.playback.subtitle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.hypertube.playback.subtitle.OpenSubtitlesException.Reason;
import org.hypertube.playback.subtitle.SubtitleProperties.OpenSubtitlesSettings;
import org.hypertube.system.OutsideFetch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenSubtitles.com REST API v1 (PLAYBACK.md §5): search a film's subtitles by IMDb id (and the
 * file's moviehash), download one as WebVTT. Every request sends {@code Api-Key}, the fixed
 * {@code User-Agent} and {@code Accept: application/json}; one attempt each, bounded in time and size,
 * never retried here (a {@code /download} that failed may still have used a slot).
 *
 * <ul>
 * <li>401/403 without a login: the key (or User-Agent) is refused; the source turns itself off with
 *     one log line until restart. With a login, a 401 logs in again once; failing that, downloads go
 *     on anonymously.</li>
 * <li>406 (daily download quota), a {@code remaining} of 0, or 429 (rate limit): no call until the
 *     {@code reset_time_utc} or {@code Retry-After}.</li>
 * <li>5xx, time-outs, malformed answers: an {@link OpenSubtitlesException} UNAVAILABLE, and thirty
 *     seconds without calls so many viewers do not make a storm.</li>
 * </ul>
 * Without a key it is off: {@link #enabled()} is false and searches find nothing.
 */
@Component
public class OpenSubtitles {

    private static final Logger log = LoggerFactory.getLogger(OpenSubtitles.class);
    static final Duration COOL_DOWN = Duration.ofSeconds(30);
    /** A JWT lives about 24 h; the Kodi add-on keeps it 20. */
    static final Duration TOKEN_LIFE = Duration.ofHours(20);
    private static final long MAX_JSON = 1 << 20;
    private static final int MAX_RESULTS = 100;
    private static final Pattern MOVIEHASH = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern IMDB = Pattern.compile("(?:tt)?0*(\\d{1,10})");
    private static final Pattern VIP_HOST = Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)*\\.opensubtitles\\.com");

    /** One subtitle file OpenSubtitles offers; {@code language} is a {@link SubtitleLanguages} tag. */
    public record SubtitleFile(long fileId, String language, String release, long downloadCount, boolean hearingImpaired,
                               boolean fromTrusted, String format, boolean moviehashMatch, boolean machineTranslated) {
    }

    private final OpenSubtitlesSettings settings;
    private final long maxFileSize;
    private final Clock clock;
    private final RestClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile URI baseUrl;
    private volatile boolean disabled;
    private volatile boolean loginRefused;
    private volatile String token;
    private volatile Instant tokenUntil = Instant.MIN;
    private volatile Instant callsBlockedUntil = Instant.MIN;
    private volatile Reason callsBlockedReason = Reason.UNAVAILABLE;
    private volatile Instant downloadsBlockedUntil = Instant.MIN;

    @Autowired
    public OpenSubtitles(SubtitleProperties properties, OutsideFetch outside) {
        this(properties.opensubtitles(), properties.maxFileSize().toBytes(), Clock.systemUTC(), outside);
    }

    /**
     * Calls go through {@link OutsideFetch}: a base URL the operator set (not the built-in one) is trusted, but
     * the download links and the API host the login names come from outside and never reach an inside
     * address, redirects included.
     */
    OpenSubtitles(OpenSubtitlesSettings settings, long maxFileSize, Clock clock, OutsideFetch outside) {
        this.settings = settings;
        this.maxFileSize = maxFileSize;
        this.clock = clock;
        this.baseUrl = withoutTrailingSlash(settings.baseUrl());
        if (!sameOrigin(baseUrl, OpenSubtitlesSettings.DEFAULT_BASE_URL)) {
            outside.trustOperatorUrl(baseUrl.toString()); // the public API's host is checked like any other
        }
        this.http = RestClient.builder().requestFactory(outside.requestFactory(true, settings.connectTimeout(),
                settings.timeout().plusSeconds(1))).build();
    }

    /** Whether a key is set and was not refused. */
    public boolean enabled() {
        return settings.enabled() && !disabled;
    }

    /**
     * The subtitles of a film in some languages, best matches first as OpenSubtitles orders them.
     * Multi-CD subtitles are left out. Off (no key, refused key): an empty list.
     *
     * @param imdbId    {@code tt0133093} or {@code 133093}
     * @param languages {@link SubtitleLanguages} tags ({@code en}, {@code pt-BR}); empty: all languages
     * @param moviehash the film file's {@link OpenSubtitlesHash}, if known
     */
    public List<SubtitleFile> search(String imdbId, Collection<String> languages, Optional<String> moviehash)
            throws SubtitleException {
        if (!enabled()) {
            return List.of();
        }
        var imdb = imdbId == null ? null : IMDB.matcher(imdbId.strip().toLowerCase(Locale.ROOT));
        if (imdb == null || !imdb.matches()) {
            throw new SubtitleException("not an IMDb id: " + imdbId);
        }
        // Alphabetical, lower-case, defaults left out: else OpenSubtitles redirects to this form.
        StringBuilder query = new StringBuilder("imdb_id=").append(imdb.group(1));
        TreeSet<String> codes = new TreeSet<>();
        for (String language : languages) {
            codes.addAll(requestCodes(language));
        }
        if (!codes.isEmpty()) {
            query.append("&languages=").append(String.join(",", codes));
        }
        if (moviehash.isPresent()) {
            String hash = moviehash.get().toLowerCase(Locale.ROOT);
            if (!MOVIEHASH.matcher(hash).matches()) {
                throw new SubtitleException("not a moviehash: " + moviehash.get());
            }
            query.append("&moviehash=").append(hash);
        }
        checkCalls();
        Answer answer = call(HttpMethod.GET, URI.create(baseUrl + "/subtitles?" + query), apiHeaders(null), null, MAX_JSON);
        if (answer.status != 200) {
            throw failure(answer);
        }
        return files(parse(answer.body));
    }

    /** OpenSubtitles' codes for one of our tags: {@code pt} is both Portuguese lists, {@code pt-BR} one. */
    static List<String> requestCodes(String tag) {
        if (tag == null || !SubtitleLanguages.isTag(tag) || tag.equals(SubtitleLanguages.UNDETERMINED)) {
            return List.of();
        }
        String lower = tag.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "pt" -> List.of("pt-br", "pt-pt");
            case "zh" -> List.of("zh-cn", "zh-tw");
            case "pt-br", "pt-pt", "zh-cn", "zh-tw" -> List.of(lower);
            default -> List.of(SubtitleLanguages.base(lower));
        };
    }

    private List<SubtitleFile> files(JsonNode root) {
        List<SubtitleFile> files = new ArrayList<>();
        for (JsonNode row : root.path("data")) {
            JsonNode a = row.path("attributes");
            JsonNode rowFiles = a.path("files");
            if (rowFiles.size() != 1 || a.path("nb_cd").asInt(1) > 1) {
                continue;
            }
            long fileId = rowFiles.get(0).path("file_id").asLong(0);
            if (fileId <= 0) {
                continue;
            }
            String release = a.path("release").asString("");
            files.add(new SubtitleFile(fileId, SubtitleLanguages.normalise(a.path("language").asString(null)),
                    release.length() > 200 ? release.substring(0, 200) : release,
                    Math.max(0, a.path("download_count").asLong(0)), a.path("hearing_impaired").asBoolean(false),
                    a.path("from_trusted").asBoolean(false), a.path("format").asString(null),
                    a.path("moviehash_match").asBoolean(false),
                    a.path("machine_translated").asBoolean(false) || a.path("ai_translated").asBoolean(false)));
            if (files.size() >= MAX_RESULTS) {
                break;
            }
        }
        return files;
    }

    /**
     * One subtitle file as WebVTT bytes (UTF-8, not yet normalised): {@code POST /download} with
     * {@code sub_format=webvtt}, then its link, size-capped; a gzip answer is inflated with the same cap.
     * Each call spends one download of the daily quota: cache the result.
     */
    public byte[] download(long fileId) throws SubtitleException {
        if (!enabled()) {
            throw new OpenSubtitlesException(Reason.DISABLED, "no usable API key", null);
        }
        if (fileId <= 0) {
            throw new SubtitleException("not an OpenSubtitles file id: " + fileId);
        }
        checkCalls();
        checkDownloads();
        String bearer = token();
        byte[] body = ("{\"file_id\":" + fileId + ",\"sub_format\":\"webvtt\"}").getBytes(StandardCharsets.UTF_8);
        Answer answer = call(HttpMethod.POST, URI.create(baseUrl + "/download"), apiHeaders(bearer), body, MAX_JSON);
        if (answer.status == 401 && bearer != null) {
            token = null;
            bearer = token();
            answer = call(HttpMethod.POST, URI.create(baseUrl + "/download"), apiHeaders(bearer), body, MAX_JSON);
        }
        if (answer.status != 200) {
            throw failure(answer);
        }
        JsonNode root = parse(answer.body);
        if (root.path("remaining").isNumber() && root.path("remaining").asInt() <= 0) {
            Instant reset = resetTime(root);
            downloadsBlockedUntil = reset != null ? reset : clock.instant().plus(Duration.ofHours(24));
        }
        String link = root.path("link").asString(null);
        URI uri;
        try {
            uri = link == null ? null : URI.create(link);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw unavailable("the download answer has no usable link");
        }
        Map<String, String> headers = Map.of(HttpHeaders.USER_AGENT, settings.userAgent());
        Answer file = call(HttpMethod.GET, uri, headers, null, maxFileSize);
        if (file.status != 200) {
            throw unavailable("the download link answered HTTP " + file.status);
        }
        return inflated(file.body, "gzip".equalsIgnoreCase(file.headers.getFirst(HttpHeaders.CONTENT_ENCODING)));
    }

    /** The bytes, inflated when gzip (by header or magic number), never more than the cap. */
    private byte[] inflated(byte[] body, boolean gzipEncoded) throws OpenSubtitlesException {
        boolean gzip = gzipEncoded || (body.length >= 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B);
        if (!gzip) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileSize + 1));
            if (out.length > maxFileSize) {
                throw refused("the subtitle file inflates to more than " + maxFileSize + " bytes; refused");
            }
            return out;
        } catch (IOException e) {
            throw refused("the subtitle file is broken gzip");
        }
    }

    /** The login token, logging in when there is none (one login at a time). */
    private synchronized String token() throws OpenSubtitlesException {
        if (!settings.logsIn() || loginRefused) {
            return null;
        }
        String current = token;
        if (current != null && clock.instant().isBefore(tokenUntil)) {
            return current;
        }
        String body = json.writeValueAsString(Map.of("username", settings.username(), "password", settings.password()));
        Answer answer = call(HttpMethod.POST, URI.create(baseUrl + "/login"), apiHeaders(null),
                body.getBytes(StandardCharsets.UTF_8), MAX_JSON);
        if (answer.status == 400 || answer.status == 401) {
            loginRefused = true;
            log.warn("OpenSubtitles refused the login of {} (HTTP {}); downloads go on without it, on this server's address quota",
                    settings.username(), answer.status);
            return null;
        }
        if (answer.status != 200) {
            throw failure(answer);
        }
        JsonNode root = parse(answer.body);
        String jwt = root.path("token").asString(null);
        if (jwt == null || jwt.isBlank()) {
            throw unavailable("the login answer has no token");
        }
        String host = root.path("base_url").asString("").toLowerCase(Locale.ROOT);
        if (VIP_HOST.matcher(host).matches() && !host.equals(baseUrl.getHost())
                && OpenSubtitlesSettings.DEFAULT_BASE_URL.getHost().equals(baseUrl.getHost())) {
            baseUrl = URI.create("https://" + host + "/api/v1");
        }
        token = jwt;
        tokenUntil = clock.instant().plus(TOKEN_LIFE);
        return jwt;
    }

    private Map<String, String> apiHeaders(String bearer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Api-Key", settings.apiKey());
        headers.put(HttpHeaders.USER_AGENT, settings.userAgent());
        headers.put(HttpHeaders.ACCEPT, "application/json");
        if (bearer != null) {
            headers.put(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        }
        return headers;
    }

    private void checkCalls() throws OpenSubtitlesException {
        Instant until = callsBlockedUntil;
        if (clock.instant().isBefore(until)) {
            throw new OpenSubtitlesException(callsBlockedReason, callsBlockedReason == Reason.QUOTA
                    ? "rate limit reached; no call until " + until : "resting after a failure until " + until, until);
        }
    }

    private void checkDownloads() throws OpenSubtitlesException {
        Instant until = downloadsBlockedUntil;
        if (clock.instant().isBefore(until)) {
            throw new OpenSubtitlesException(Reason.QUOTA, "download quota spent; no download until " + until, until);
        }
    }

    /** What a refusal means for the source, remembered so OpenSubtitles is not asked again too early. */
    private OpenSubtitlesException failure(Answer answer) {
        int status = answer.status;
        String message = message(answer.body);
        if (status == 401 || status == 403) {
            if (!disabled) {
                disabled = true;
                log.warn("OpenSubtitles refused the API key or User-Agent (HTTP {}{}); subtitles from OpenSubtitles are off until restart",
                        status, message.isEmpty() ? "" : ": " + message);
            }
            return new OpenSubtitlesException(Reason.DISABLED, "the API key was refused (HTTP " + status + ")", null);
        }
        if (status == 406 || status == 429) {
            Instant until = status == 429 ? retryAfter(answer.headers.getFirst(HttpHeaders.RETRY_AFTER)) : resetTime(parseQuietly(answer.body));
            if (until == null) {
                until = clock.instant().plus(status == 429 ? Duration.ofSeconds(10) : Duration.ofHours(24));
            }
            if (status == 429) {
                callsBlockedReason = Reason.QUOTA;
                callsBlockedUntil = until;
            } else {
                downloadsBlockedUntil = until;
            }
            return new OpenSubtitlesException(Reason.QUOTA, (status == 406 ? "download quota spent" : "rate limit reached")
                    + " until " + until + (message.isEmpty() ? "" : " (" + message + ")"), until);
        }
        return unavailable("answered HTTP " + status + (message.isEmpty() ? "" : ": " + message));
    }

    private OpenSubtitlesException unavailable(String message) {
        Instant until = clock.instant().plus(COOL_DOWN);
        callsBlockedReason = Reason.UNAVAILABLE;
        callsBlockedUntil = until;
        return new OpenSubtitlesException(Reason.UNAVAILABLE, message, until);
    }

    /** A failure of this one call or file, not of the source: no cool-down. */
    private OpenSubtitlesException refused(String message) {
        return new OpenSubtitlesException(Reason.UNAVAILABLE, message, null);
    }

    /** {@code reset_time_utc} of a 406 or download answer. */
    private static Instant resetTime(JsonNode root) {
        String reset = root == null ? null : root.path("reset_time_utc").asString(null);
        if (reset == null) {
            return null;
        }
        try {
            return Instant.parse(reset);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Instant retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds < 0 ? null : clock.instant().plusSeconds(Math.min(seconds, 86_400));
        } catch (NumberFormatException notSeconds) {
            try {
                return ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** The "message" of an error body, short, without the key or token. */
    private String message(byte[] body) {
        JsonNode root = parseQuietly(body);
        String text = root == null ? null : root.path("message").asString(null);
        if (text == null && root != null && root.path("errors").isArray() && !root.path("errors").isEmpty()) {
            text = root.path("errors").get(0).asString(null);
        }
        if (text == null) {
            return "";
        }
        text = text.replaceAll("\\s+", " ").strip();
        if (!settings.apiKey().isEmpty()) {
            text = text.replace(settings.apiKey(), "<redacted>");
        }
        String jwt = token;
        if (jwt != null) {
            text = text.replace(jwt, "<redacted>");
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private JsonNode parse(byte[] body) throws OpenSubtitlesException {
        JsonNode root = parseQuietly(body);
        if (root == null || !root.isObject()) {
            throw unavailable("answered something that is not a JSON object");
        }
        return root;
    }

    private JsonNode parseQuietly(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private record Answer(int status, HttpHeaders headers, byte[] body) {
    }

    /** One request, bounded by the timeout however slowly the server answers, its body by {@code cap}. */
    private Answer call(HttpMethod method, URI uri, Map<String, String> headers, byte[] body, long cap)
            throws OpenSubtitlesException {
        String what = method + " " + uri.getHost() + uri.getPath();
        FutureTask<Answer> task = new FutureTask<>(() -> {
            RestClient.RequestBodySpec request = http.method(method).uri(uri).headers(h -> headers.forEach(h::set));
            if (body != null) {
                request.header(HttpHeaders.CONTENT_TYPE, "application/json").body(body);
            }
            return request.exchange((req, response) -> {
                HttpHeaders responseHeaders = response.getHeaders();
                if (responseHeaders.getContentLength() > cap) {
                    throw new TooLarge();
                }
                byte[] bytes;
                try (InputStream in = response.getBody()) {
                    bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
                }
                if (bytes.length > cap) {
                    throw new TooLarge();
                }
                return new Answer(response.getStatusCode().value(), responseHeaders, bytes);
            }, true);
        });
        Thread.ofVirtual().name("opensubtitles").start(task);
        try {
            return task.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw unavailable(what + " timed out after " + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw refused(what + " interrupted");
        } catch (CancellationException e) {
            throw refused(what + " cancelled");
        } catch (ExecutionException e) {
            Throwable root = e.getCause();
            for (int depth = 0; root != null && !(root instanceof TooLarge) && root.getCause() != null && depth < 10; depth++) {
                root = root.getCause();
            }
            if (root instanceof TooLarge) {
                throw refused(what + " answered more than " + cap + " bytes; refused");
            }
            throw unavailable(what + " failed: " + (root == null ? "?" : root.getClass().getSimpleName()));
        }
    }

    /** Thrown inside the exchange so the body is never read past the cap. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("response too large", null);
        }
    }

    /** Same host and port (the built-in API's, whatever the path): then not trusted past the address check. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
}
