package org.hypertube.playback.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailStoreTest {

    @TempDir
    Path root;

    private Path made(ThumbnailStore store, String film, int sheets) throws Exception {
        Path work = store.workFolder(film);
        for (int n = 0; n < sheets; n++) {
            Files.write(work.resolve(n + ".jpg"), new byte[1000]);
        }
        Files.writeString(work.resolve(SpriteSheets.INDEX), "WEBVTT\n");
        return work;
    }

    @Test
    void thumbnailsExistOnlyOnceWholeAndTheFirstMadeStay() throws Exception {
        ThumbnailStore store = new ThumbnailStore(root);
        Path first = made(store, "film-a", 2);
        assertThat(store.made("film-a", 0)).as("still being made").isFalse();
        assertThat(store.sheet("film-a", 0, 0)).isEmpty();
        Path second = made(store, "film-a", 1);

        assertThat(store.publish("film-a", 0, first)).isTrue();
        assertThat(store.publish("film-a", 0, second)).as("another instance was first").isFalse();
        assertThat(second).doesNotExist();
        assertThat(store.made("film-a", 0)).isTrue();
        assertThat(store.made("film-a", 1)).as("another file of the torrent").isFalse();
        assertThat(store.sheet("film-a", 0, 1)).contains(root.resolve("film-a/f0/1.jpg"));
        assertThat(store.sheet("film-a", 0, 2)).isEmpty();
        assertThat(store.sheet("film-a", 0, -1)).isEmpty();
        assertThat(store.keptBytes("film-a")).isEqualTo(2000 + "WEBVTT\n".length());

        assertThat(new ThumbnailStore(root).made("film-a", 0)).as("after a restart").isTrue();
        assertThat(store.evict("film-a")).isTrue();
        assertThat(root.resolve("film-a")).doesNotExist();
        assertThat(store.keptBytes("film-a")).isZero();
    }

    @Test
    void namesThatAreNoFilmsReachNoFile() throws Exception {
        ThumbnailStore store = new ThumbnailStore(root.resolve("thumbs"));
        Files.createDirectories(root.resolve("secret"));
        Files.writeString(root.resolve("secret").resolve(SpriteSheets.INDEX), "WEBVTT\n");
        assertThat(store.index("../secret", 0)).isEmpty();
        assertThat(store.made("..", 0)).isFalse();
        assertThat(store.keptBytes("../secret")).isZero();
        assertThat(store.evict("..")).isFalse();
        assertThat(root.resolve("secret")).exists();
        assertThatThrownBy(() -> store.workFolder("A/B")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyWorkFoldersOlderThanAnyRunAreLeftovers() throws Exception {
        ThumbnailStore store = new ThumbnailStore(root);
        Path old = made(store, "film-b", 1);
        Path running = made(store, "film-b", 1);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        store.dropStaleWork("film-b", Duration.ofHours(1));
        assertThat(old).doesNotExist();
        assertThat(running).exists();
        store.tidy("film-b");
        assertThat(running).as("not empty: stays").exists();
        store.discard(running);
        store.tidy("film-b");
        assertThat(root.resolve("film-b")).doesNotExist();
    }

    @Test
    void whileAFilmDownloadsTheLargestSetOfFirstSheetsIsServedUntilTheWholeFilmsReplacesThem() throws Exception {
        ThumbnailStore store = new ThumbnailStore(root);
        assertThat(store.version("film-c", 0)).isEmpty();
        assertThat(store.publishBeginning("film-c", 0, 1, made(store, "film-c", 1))).isTrue();
        assertThat(store.made("film-c", 0)).as("the whole film's are not").isFalse();
        assertThat(store.sheetsOfBeginning("film-c", 0)).isEqualTo(1);
        assertThat(store.index("film-c", 0)).contains(root.resolve("film-c/f0-s1").resolve(SpriteSheets.INDEX));
        assertThat(store.sheet("film-c", 0, 0)).contains(root.resolve("film-c/f0-s1/0.jpg"));
        assertThat(store.sheet("film-c", 0, 1)).isEmpty();
        assertThat(store.version("film-c", 0)).contains("f0-s1");
        assertThat(store.sheetsOfBeginning("film-c", 1)).as("another file of the torrent").isZero();

        Path again = made(store, "film-c", 1);
        assertThat(store.publishBeginning("film-c", 0, 1, again)).as("as many: nothing new").isFalse();
        assertThat(again).doesNotExist();
        assertThat(store.publishBeginning("film-c", 0, 3, made(store, "film-c", 3))).isTrue();
        assertThat(root.resolve("film-c/f0-s1")).as("replaced").doesNotExist();
        assertThat(store.sheet("film-c", 0, 2)).contains(root.resolve("film-c/f0-s3/2.jpg"));
        assertThat(store.version("film-c", 0)).contains("f0-s3");
        assertThat(store.keptBytes("film-c")).isEqualTo(3000 + "WEBVTT\n".length());

        assertThat(store.publish("film-c", 0, made(store, "film-c", 4))).isTrue();
        assertThat(root.resolve("film-c/f0-s3")).as("the whole film's replace them").doesNotExist();
        assertThat(store.version("film-c", 0)).contains("f0");
        assertThat(store.sheetsOfBeginning("film-c", 0)).isZero();
        Path late = made(store, "film-c", 2);
        assertThat(store.publishBeginning("film-c", 0, 2, late)).as("the whole film's are there").isFalse();
        assertThat(store.sheet("film-c", 0, 3)).contains(root.resolve("film-c/f0/3.jpg"));
    }

    /** A removal on an instance that was down leaves thumbnails behind: counted, then swept once old enough. */
    @Test
    void foldersMatchingNoDownloadAreCountedAndSweptOnceOld() throws Exception {
        ThumbnailStore store = new ThumbnailStore(root);
        store.publish("kept", 0, made(store, "kept", 1));
        store.publish("left", 0, made(store, "left", 2));
        store.publish("fresh", 0, made(store, "fresh", 1));
        Path dead = made(store, "kept", 1);
        long old = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        Files.setLastModifiedTime(root.resolve("left"), FileTime.fromMillis(old));
        Files.setLastModifiedTime(dead, FileTime.fromMillis(old));
        long strayBefore = store.keptBytes("left") + store.keptBytes("fresh");

        assertThat(store.strayBytes(Set.of("kept"))).isEqualTo(strayBefore).isGreaterThan(2000);
        long before = Instant.now().minus(Duration.ofMinutes(1)).toEpochMilli();
        assertThat(store.sweep(Set.of("kept"), before, Duration.ofHours(1))).isEqualTo(1);
        assertThat(root.resolve("left")).doesNotExist();
        assertThat(root.resolve("fresh")).as("changed within the minute: maybe a download just added").exists();
        assertThat(dead).as("a dead run's work folder").doesNotExist();
        assertThat(store.made("kept", 0)).isTrue();
        assertThat(store.strayBytes(Set.of("kept"))).isEqualTo(store.keptBytes("fresh"));
    }
}
