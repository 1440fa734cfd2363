package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.hypertube.playback.subtitle.SidecarSubtitles.Sidecar;
import org.hypertube.playback.subtitle.SidecarSubtitles.TorrentFile;
import org.junit.jupiter.api.Test;

class SidecarSubtitlesTest {

    private final SidecarSubtitles sidecars = new SidecarSubtitles(2 << 20);

    @Test
    void subtitleFilesOfATorrentWithTheirLanguages() {
        List<TorrentFile> files = List.of(
                new TorrentFile(0, "Movie (2019)/Movie.2019.1080p.BluRay.x264.mkv", 8_000_000_000L),
                new TorrentFile(1, "Movie (2019)/Movie.2019.fr.srt", 60_000),
                new TorrentFile(2, "Movie (2019)/Subs/2_French.srt", 61_000),
                new TorrentFile(3, "Movie (2019)/Subs/English.srt", 62_000),
                new TorrentFile(4, "Movie (2019)/Subs/movie.eng.forced.srt", 3_000),
                new TorrentFile(5, "Movie (2019)/Subs/Movie.2019.pt-BR.srt", 59_000),
                new TorrentFile(6, "Movie (2019)/Subs/Movie.English.SDH.ass", 70_000),
                new TorrentFile(7, "Movie (2019)/Subs/Русский.srt", 70_000),
                new TorrentFile(8, "Movie (2019)/Subs/Español [Latino].vtt", 70_000),
                new TorrentFile(9, "Movie (2019)/Movie.2019.1080p.srt", 58_000),
                new TorrentFile(10, "Movie (2019)/Subs/German/1.srt", 58_000),
                new TorrentFile(11, "Movie (2019)/Subs/movie.ger.ssa", 58_000),
                new TorrentFile(12, "Movie (2019)/Movie.sub", 30_000),
                new TorrentFile(13, "Movie (2019)/Movie.IDX", 2_000),
                new TorrentFile(14, "Movie (2019)/Extras/micro.sub", 30_000),
                new TorrentFile(15, "Movie (2019)/Subs/huge.en.srt", 3 << 20),
                new TorrentFile(16, "Movie (2019)/Movie.nfo", 1_000),
                new TorrentFile(17, "Movie (2019)/Subs/Movie.Name.de.la.Rose.srt", 1_000));

        List<Sidecar> found = sidecars.find(files);

        assertThat(found).containsExactly(
                new Sidecar(14, "Movie (2019)/Extras/micro.sub", "sub", "und", "micro", false, false),
                new Sidecar(9, "Movie (2019)/Movie.2019.1080p.srt", "srt", "und", "Movie.2019.1080p", false, false),
                new Sidecar(1, "Movie (2019)/Movie.2019.fr.srt", "srt", "fr", null, false, false),
                new Sidecar(2, "Movie (2019)/Subs/2_French.srt", "srt", "fr", null, false, false),
                new Sidecar(3, "Movie (2019)/Subs/English.srt", "srt", "en", null, false, false),
                new Sidecar(8, "Movie (2019)/Subs/Español [Latino].vtt", "vtt", "es-MX", null, false, false),
                new Sidecar(10, "Movie (2019)/Subs/German/1.srt", "srt", "de", null, false, false),
                new Sidecar(5, "Movie (2019)/Subs/Movie.2019.pt-BR.srt", "srt", "pt-BR", null, false, false),
                new Sidecar(6, "Movie (2019)/Subs/Movie.English.SDH.ass", "ass", "en", "SDH", false, true),
                new Sidecar(17, "Movie (2019)/Subs/Movie.Name.de.la.Rose.srt", "srt", "und", "Movie.Name.de.la.Rose", false, false),
                new Sidecar(4, "Movie (2019)/Subs/movie.eng.forced.srt", "srt", "en", null, true, false),
                new Sidecar(11, "Movie (2019)/Subs/movie.ger.ssa", "ssa", "de", null, false, false),
                new Sidecar(7, "Movie (2019)/Subs/Русский.srt", "srt", "ru", null, false, false));
    }

    @Test
    void languageCodesAndNamesAreRead() {
        assertThat(SubtitleLanguages.normalise("fre")).isEqualTo("fr");
        assertThat(SubtitleLanguages.normalise("fra")).isEqualTo("fr");
        assertThat(SubtitleLanguages.normalise("ger")).isEqualTo("de");
        assertThat(SubtitleLanguages.normalise("eng")).isEqualTo("en");
        assertThat(SubtitleLanguages.normalise("pt-BR")).isEqualTo("pt-BR");
        assertThat(SubtitleLanguages.normalise("pt_br")).isEqualTo("pt-BR");
        assertThat(SubtitleLanguages.normalise("zh-CN")).isEqualTo("zh-CN");
        assertThat(SubtitleLanguages.normalise("en-AU")).isEqualTo("en");
        assertThat(SubtitleLanguages.normalise("pob")).isEqualTo("pt-BR");
        assertThat(SubtitleLanguages.normalise("xx")).isEqualTo("und");
        assertThat(SubtitleLanguages.normalise(null)).isEqualTo("und");
        assertThat(SubtitleLanguages.fromName("Français")).contains("fr");
        assertThat(SubtitleLanguages.fromName("DEUTSCH")).contains("de");
        assertThat(SubtitleLanguages.fromName("Japanese")).contains("ja");
        assertThat(SubtitleLanguages.fromName("Movie")).isEmpty();
    }

    @Test
    void labelsAreLanguageNamesInTheReadersLanguage() {
        assertThat(SubtitleLanguages.displayName("fr", Locale.ENGLISH)).isEqualTo("French");
        assertThat(SubtitleLanguages.displayName("en", Locale.FRENCH)).isEqualTo("Anglais");
        assertThat(SubtitleLanguages.displayName("pt-BR", Locale.ENGLISH)).isEqualTo("Portuguese (Brazil)");
        assertThat(SubtitleLanguages.displayName("de", Locale.forLanguageTag("es"))).isEqualTo("Alemán");
        assertThat(SubtitleLanguages.displayName("und", Locale.ENGLISH)).isEqualTo("und");
    }
}
