package org.hypertube.playback.subtitle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Track;
import org.hypertube.playback.subtitle.SidecarSubtitles.TorrentFile;
import org.hypertube.playback.subtitle.SubtitleProperties.OpenSubtitlesSettings;
import org.hypertube.playback.subtitle.SubtitleTracks.SubtitleTrack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SubtitlesTest {

    private static final String HASH = "c12f0a8d4b6e7f90a1b2c3d4e5f6a7b8c9d0e1f2";
    private static final List<TorrentFile> FILES = List.of(
            new TorrentFile(0, "Matrix/The.Matrix.1999.mkv", 700_000_000),
            new TorrentFile(1, "Matrix/The.Matrix.1999.fr.srt", Fixtures.bytes("french_latin1.srt").length));

    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort()).build();

    @TempDir
    static Path films;
    static Path mkv;
    static List<Track> streams;

    @TempDir
    Path cacheDir;
    private SubtitleCache cache;
    private Subtitles subtitles;
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeAll
    static void muxAFilm() throws Exception {
        mkv = TestFilm.mux(films, EmbeddedSubtitlesTest.SRT);
        streams = new EmbeddedSubtitles(WebVtt.withDefaults(), Duration.ofSeconds(60)).probe(TestFilm.FFPROBE, mkv.toString());
    }

    @BeforeEach
    void wire() {
        WebVtt webVtt = WebVtt.withDefaults();
        cache = new SubtitleCache(cacheDir);
        OpenSubtitles openSubtitles = new OpenSubtitles(new OpenSubtitlesSettings("key", URI.create(server.baseUrl() + "/api/v1"),
                null, null, null, null, null), WebVtt.DEFAULT_MAX_BYTES, Clock.systemUTC(),
                new org.hypertube.system.OutsideFetch(new org.hypertube.system.OutsideProperties(true, null)));
        subtitles = new Subtitles(new SidecarSubtitles(WebVtt.DEFAULT_MAX_BYTES),
                new EmbeddedSubtitles(webVtt, Duration.ofSeconds(60)), openSubtitles, cache, webVtt);
    }

    private byte[] readTorrentFile(int index, long max) {
        reads.incrementAndGet();
        assertThat(index).isEqualTo(1);
        assertThat(max).isEqualTo(WebVtt.DEFAULT_MAX_BYTES);
        return Fixtures.bytes("french_latin1.srt");
    }

    @Test
    void theListJoinsTheThreeSourcesAndSearchesOpenSubtitlesOncePerFilm() {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(okJson(Fixtures.text("opensubtitles/search.json"))));

        List<SubtitleTrack> tracks = subtitles.tracks(HASH, FILES, streams, "tt0133093", Optional.empty(), "fr", Locale.FRENCH);
        subtitles.tracks(HASH, FILES, streams, "tt0133093", Optional.empty(), "fr", Locale.FRENCH);

        // French: the torrent's file (default), one OpenSubtitles file as the torrent has its own (for the
        // hearing impaired, the only one), the forced embedded ASS; English; then Brazilian Portuguese
        assertThat(tracks).extracting(SubtitleTrack::id).containsExactly(
                "sidecar-c12f0a8d-1", "opensubtitles-7100001", "embedded-c12f0a8d-1", "embedded-c12f0a8d-0",
                "opensubtitles-1349324", "opensubtitles-7100002");
        assertThat(tracks).extracting(SubtitleTrack::isDefault).containsExactly(true, false, false, true, false, false);
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/subtitles")));
        assertThat(server.getAllServeEvents().getFirst().getRequest().getUrl()).endsWith("imdb_id=133093&languages=en,fr");
    }

    @Test
    void openSubtitlesBeingDownLeavesTheLocalTracks() {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(aResponse().withStatus(503)));

        List<SubtitleTrack> tracks = subtitles.tracks(HASH, FILES, streams, "tt0133093", Optional.empty(), "en", Locale.ENGLISH);

        assertThat(tracks).extracting(SubtitleTrack::source).containsOnly(SubtitleSource.SIDECAR, SubtitleSource.EMBEDDED).hasSize(3);
    }

    @Test
    void aSidecarIsConvertedOnceThenReadFromTheCache() throws Exception {
        SubtitleTrack french = subtitles.tracks(HASH, FILES, List.of(), null, Optional.empty(), "fr", Locale.FRENCH).getFirst();

        String vtt = subtitles.vtt("tt0133093", HASH, french, this::readTorrentFile, null);
        String again = subtitles.vtt("tt0133093", HASH, french, this::readTorrentFile, null);

        assertThat(vtt).isEqualTo(again).isEqualTo(WebVtt.withDefaults().toWebVtt(Fixtures.bytes("french_latin1.srt"), "fr.srt"))
                .contains("Où êtes-vous allés, mon père ?");
        assertThat(reads).hasValue(1);
        assertThat(cacheDir.resolve(HASH).resolve("sidecar-1.fr.vtt")).exists();
    }

    @Test
    void oneEmbeddedTrackAskedForCachesEveryTextTrackOfTheVideo() throws Exception {
        List<SubtitleTrack> tracks = subtitles.tracks(HASH, List.of(), streams, null, Optional.empty(), "en", Locale.ENGLISH);
        SubtitleTrack english = tracks.getFirst();
        assertThat(english.id()).isEqualTo("embedded-c12f0a8d-0");

        String vtt = subtitles.vtt("tt0133093", HASH, english, this::readTorrentFile,
                new Subtitles.EmbeddedSource(TestFilm.FFMPEG, mkv.toString(), streams));

        assertThat(WebVtt.withDefaults().parse(vtt.getBytes(), "en.vtt").cues()).containsExactlyElementsOf(EmbeddedSubtitlesTest.SRT_CUES);
        assertThat(cache.read(HASH, SubtitleSource.EMBEDDED, "1", "fr")).hasValueSatisfying(french -> assertThat(french).contains("PANNEAU 10"));
        assertThat(reads).hasValue(0);
    }

    @Test
    void anOpenSubtitlesFileIsDownloadedOnce() throws Exception {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(okJson(Fixtures.text("opensubtitles/search.json"))));
        server.stubFor(post(urlPathEqualTo("/api/v1/download")).willReturn(okJson("{\"link\":\"" + server.baseUrl()
                + "/download/abc/subfile/x.webvtt\",\"requests\":1,\"remaining\":4}")));
        server.stubFor(get(urlPathEqualTo("/download/abc/subfile/x.webvtt"))
                .willReturn(aResponse().withBody(Fixtures.bytes("opensubtitles/sample.vtt"))));
        SubtitleTrack english = subtitles.tracks(HASH, List.of(), List.of(), "tt0133093", Optional.empty(), "en", Locale.ENGLISH)
                .getFirst();
        assertThat(english.id()).isEqualTo("opensubtitles-1349324");

        String vtt = subtitles.vtt("tt0133093", HASH, english, this::readTorrentFile, null);
        subtitles.vtt("tt0133093", HASH, english, this::readTorrentFile, null);

        assertThat(vtt).isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nWake up, Neo...\n\n"
                + "00:00:03.000 --> 00:00:05.000\nThe Matrix has you &amp; me\n\n");
        server.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/download")));
        assertThat(cacheDir.resolve("tt0133093/opensubtitles-1349324.en.vtt")).exists();
        assertThatThrownBy(() -> subtitles.vtt("Not/A/Key", HASH, english, this::readTorrentFile, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
