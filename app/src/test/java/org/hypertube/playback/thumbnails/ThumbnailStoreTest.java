package org.hypertube.playback.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
}
