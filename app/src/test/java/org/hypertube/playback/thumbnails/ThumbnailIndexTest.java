package org.hypertube.playback.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThumbnailIndexTest {

    private static final ThumbnailIndex.Tile TILE = new ThumbnailIndex.Tile(160, 90);

    @Test
    void eachTileIsACueFromItsTimeToTheNextAndTheLastEndsWithTheFilm() {
        String vtt = ThumbnailIndex.vtt(List.of(0.0, 10.0, 20.0, 30.0), TILE, 38.5, 10, List.of("0c0ffee0"));
        assertThat(vtt).isEqualTo("""
                WEBVTT

                00:00:00.000 --> 00:00:10.000
                thumbnails/0.jpg?v=0c0ffee0#xywh=0,0,160,90

                00:00:10.000 --> 00:00:20.000
                thumbnails/0.jpg?v=0c0ffee0#xywh=160,0,160,90

                00:00:20.000 --> 00:00:30.000
                thumbnails/0.jpg?v=0c0ffee0#xywh=320,0,160,90

                00:00:30.000 --> 00:00:38.500
                thumbnails/0.jpg?v=0c0ffee0#xywh=480,0,160,90
                """);
    }

    /** A film fetched again (another torrent) gets new sheets: their addresses change with their bytes. */
    @Test
    void eachSheetsAddressCarriesItsVersion() {
        String before = ThumbnailIndex.vtt(List.of(0.0), TILE, 10, 10, List.of("0c0ffee0"));
        String after = ThumbnailIndex.vtt(List.of(0.0), TILE, 10, 10, List.of("5ca1ab1e"));
        assertThat(before).contains("thumbnails/0.jpg?v=0c0ffee0#xywh=0,0,160,90");
        assertThat(after).contains("thumbnails/0.jpg?v=5ca1ab1e#xywh=0,0,160,90");
    }

    @Test
    void tilesFillASheetRowByRowThenTheNextSheet() {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            times.add(i * 10.0);
        }
        String vtt = ThumbnailIndex.vtt(times, new ThumbnailIndex.Tile(160, 68), 0, 10, List.of("0c0ffee0", "1badcafe"));
        assertThat(vtt).contains("00:01:30.000 --> 00:01:40.000\nthumbnails/0.jpg?v=0c0ffee0#xywh=1440,0,160,68\n")
                .contains("00:01:40.000 --> 00:01:50.000\nthumbnails/0.jpg?v=0c0ffee0#xywh=0,68,160,68\n")
                .contains("00:16:30.000 --> 00:16:40.000\nthumbnails/0.jpg?v=0c0ffee0#xywh=1440,612,160,68\n")
                // the length unknown: the last cue lasts one interval
                .endsWith("00:16:40.000 --> 00:16:50.000\nthumbnails/1.jpg?v=1badcafe#xywh=0,0,160,68\n");
    }

    @Test
    void hoursAreWrittenAndAFilmShorterThanItsLastTileStillGetsAWholeCue() {
        assertThat(ThumbnailIndex.timestamp(2 * 3600 + 61.25)).isEqualTo("02:01:01.250");
        assertThat(ThumbnailIndex.vtt(List.of(0.0), TILE, 0.0, 10, List.of("0c0ffee0"))).endsWith("00:00:00.000 --> 00:00:10.000\n"
                + "thumbnails/0.jpg?v=0c0ffee0#xywh=0,0,160,90\n");
        assertThatThrownBy(() -> new ThumbnailIndex.Tile(0, 90)).isInstanceOf(IllegalArgumentException.class);
    }
}
