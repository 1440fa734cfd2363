package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubtitleCacheTest {

    private static final String VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\n";

    @TempDir
    Path dir;

    @Test
    void filesAreNamedFromTheirTokensInsideTheCacheFolder() throws Exception {
        SubtitleCache cache = new SubtitleCache(dir.resolve("subtitles"));

        Path path = cache.path("tt0133093", SubtitleSource.OPENSUBTITLES, "1349324", "pt-BR");

        assertThat(path).isEqualTo(dir.resolve("subtitles/tt0133093/opensubtitles-1349324.pt-br.vtt").toAbsolutePath());
        assertThat(cache.read("tt0133093", SubtitleSource.OPENSUBTITLES, "1349324", "pt-BR")).isEmpty();
        cache.write("tt0133093", SubtitleSource.OPENSUBTITLES, "1349324", "pt-BR", VTT);
        assertThat(Files.readString(path)).isEqualTo(VTT);
        assertThat(cache.read("tt0133093", SubtitleSource.OPENSUBTITLES, "1349324", "pt-br")).contains(VTT);
        try (var files = Files.list(path.getParent())) {
            assertThat(files).containsExactly(path); // no temporary file left
        }
        assertThat(cache.path("c12f0a8d4b6e7f90a1b2c3d4e5f6a7b8c9d0e1f2", SubtitleSource.SIDECAR, "3", "fr").getFileName())
                .hasToString("sidecar-3.fr.vtt");
    }

    @Test
    void tokensOutsideTheirPatternsAreRefused() {
        SubtitleCache cache = new SubtitleCache(dir);

        for (String key : new String[] {"..", "../x", "a/b", "Film", "", "a".repeat(65), "x y", "tt01%2f"}) {
            assertThatThrownBy(() -> cache.path(key, SubtitleSource.SIDECAR, "1", "en")).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        for (String id : new String[] {"..", "1/2", "-1", "12z", "", "1.2"}) {
            assertThatThrownBy(() -> cache.path("film", SubtitleSource.SIDECAR, id, "en")).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        for (String language : new String[] {"e", "english", "en/..", "e1", "pt-BRA", "en-", ""}) {
            assertThatThrownBy(() -> cache.path("film", SubtitleSource.SIDECAR, "1", language)).as(language)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> cache.evict("../..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachFileIsMadeOnceEvenWhenAskedForAtTheSameTime() throws Exception {
        SubtitleCache cache = new SubtitleCache(dir);
        AtomicInteger downloads = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> cache.getOrCreate("film1", SubtitleSource.OPENSUBTITLES, "42", "en", () -> {
                    downloads.incrementAndGet();
                    inside.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new SubtitleException("interrupted");
                    }
                    return VTT;
                })));
            }
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // the others reach the lock
            release.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(VTT);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(downloads).hasValue(1);
        assertThat(cache.getOrCreate("film1", SubtitleSource.OPENSUBTITLES, "42", "en", () -> {
            throw new SubtitleException("must not be called");
        })).isEqualTo(VTT);
    }

    @Test
    void aFailedProducerStoresNothingAndEvictRemovesAKeysFiles() throws Exception {
        SubtitleCache cache = new SubtitleCache(dir);

        assertThatThrownBy(() -> cache.getOrCreate("film2", SubtitleSource.EMBEDDED, "0", "fr", () -> {
            throw new SubtitleException("ffmpeg failed");
        })).hasMessage("ffmpeg failed");
        assertThat(cache.read("film2", SubtitleSource.EMBEDDED, "0", "fr")).isEmpty();

        cache.write("film2", SubtitleSource.EMBEDDED, "0", "fr", VTT);
        cache.write("film3", SubtitleSource.EMBEDDED, "0", "fr", VTT);
        cache.evict("film2");
        assertThat(dir.resolve("film2")).doesNotExist();
        assertThat(cache.read("film3", SubtitleSource.EMBEDDED, "0", "fr")).contains(VTT);
    }
}
