package org.hypertube.torrent.webseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.webseed.TestTorrents.Entry;
import org.hypertube.torrent.webseed.WebSeedException.Kind;
import org.junit.jupiter.api.Test;

class WebSeedUrlsTest {
    private static final TorrentInfo SINGLE = TestTorrents.single("big buck+bunny.mp4", 1000, 256);
    private static final TorrentInfo MULTI = TestTorrents.multi("my item", 256,
            Entry.of("a file.bin", 100), Entry.pad(156), Entry.of("sub dir/b+c.bin", 50), Entry.of("Amélie/été~_-.srt", 10));

    private static String url(TorrentInfo info, String seed, int file) throws WebSeedException {
        return WebSeedUrls.of(info, seed).fileUrl(file).toString();
    }

    @Test
    void aSingleFileSeedUrlIsTheFileUnlessItEndsInASlash() throws Exception {
        assertThat(url(SINGLE, "http://example.org/films/movie.mp4", 0)).isEqualTo("http://example.org/films/movie.mp4");
        assertThat(url(SINGLE, "http://example.org/films/", 0)).isEqualTo("http://example.org/films/big%20buck%2Bbunny.mp4");
        assertThat(url(SINGLE, "https://example.org/get?id=7", 0)).isEqualTo("https://example.org/get?id=7");
    }

    @Test
    void multiFileUrlsAreBaseNameAndEncodedPathWithASlashAddedWhenMissing() throws Exception {
        for (String base : List.of("https://archive.org/download/", "https://archive.org/download")) {
            assertThat(url(MULTI, base, 0)).isEqualTo("https://archive.org/download/my%20item/a%20file.bin");
            assertThat(url(MULTI, base, 2)).isEqualTo("https://archive.org/download/my%20item/sub%20dir/b%2Bc.bin");
        }
    }

    @Test
    void nonAsciiComponentsAreTheirUtf8BytesAndUnreservedCharactersStay() throws Exception {
        assertThat(url(MULTI, "http://h/d/", 3)).isEqualTo("http://h/d/my%20item/Am%C3%A9lie/%C3%A9t%C3%A9~_-.srt");
    }

    @Test
    void aComponentThatIsNotUtf8IsSentAsTheTorrentsOwnBytes() throws Exception {
        // "caf\xe9.avi" in Latin-1: the parser sanitises it as libtorrent does ("caf_vi"), the server has the raw bytes.
        byte[] latin1 = "caf\u00e9.avi".getBytes(StandardCharsets.ISO_8859_1);
        TorrentInfo legacy = TestTorrents.multi("films", 16,
                new Entry(List.of(latin1), 10, false), Entry.of("caf\u00e9.srt", 10));
        assertThat(legacy.files().get(0).path()).containsExactly("caf_vi");
        assertThat(url(legacy, "http://h/", 0)).isEqualTo("http://h/films/caf%E9.avi");
        assertThat(url(legacy, "http://h/", 1)).isEqualTo("http://h/films/caf%C3%A9.srt");
    }

    @Test
    void aSeedUrlWithSpacesOrNonAsciiIsEncodedOnceAndPercentsAreKept() throws Exception {
        assertThat(url(SINGLE, " http://h/my films/é%20x/ ", 0))
                .isEqualTo("http://h/my%20films/%C3%A9%20x/big%20buck%2Bbunny.mp4");
    }

    @Test
    void onlyHttpAndHttpsSeedsAreAccepted() {
        for (String bad : List.of("ftp://h/x", "file:///etc/passwd", "/relative/path", "http:///nohost", "http://h:99999999/x")) {
            assertThatThrownBy(() -> WebSeedUrls.of(SINGLE, bad)).isInstanceOf(WebSeedException.class)
                    .satisfies(e -> assertThat(((WebSeedException) e).kind()).isEqualTo(Kind.BAD_URL));
        }
        assertThatThrownBy(() -> WebSeedUrls.of(MULTI, "http://h/get?id=1")).hasMessageContaining("query");
    }

    @Test
    void redirectsResolveRelativeLocationsAndStayOnHttp() throws Exception {
        URI from = URI.create("http://archive.org/download/my%20item/a%20file.bin");
        assertThat(WebSeedUrls.resolveRedirect(from, "/27/items/my%20item/a%20file.bin"))
                .hasToString("http://archive.org/27/items/my%20item/a%20file.bin");
        assertThat(WebSeedUrls.resolveRedirect(from, "other.bin")).hasToString("http://archive.org/download/my%20item/other.bin");
        assertThat(WebSeedUrls.resolveRedirect(from, "https://ia8.us.archive.org/x y.bin"))
                .hasToString("https://ia8.us.archive.org/x%20y.bin");
        assertThat(WebSeedUrls.resolveRedirect(from, "//node/z")).hasToString("http://node/z");
        for (String bad : List.of("file:///etc/passwd", "ftp://h/x", "gopher://h/", "javascript:alert(1)", "http://")) {
            assertThatThrownBy(() -> WebSeedUrls.resolveRedirect(from, bad)).isInstanceOf(WebSeedException.class)
                    .satisfies(e -> assertThat(((WebSeedException) e).kind()).isEqualTo(Kind.BAD_URL));
        }
    }
}
