package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Track;
import org.hypertube.playback.subtitle.OpenSubtitles.SubtitleFile;
import org.hypertube.playback.subtitle.SidecarSubtitles.Sidecar;
import org.hypertube.playback.subtitle.SubtitleTracks.SubtitleTrack;
import org.junit.jupiter.api.Test;

class SubtitleTracksTest {

    private static final String HASH = "C12F0A8D4B6E7F90A1B2C3D4E5F6A7B8C9D0E1F2";

    private final List<Sidecar> sidecars = List.of(
            new Sidecar(3, "Subs/English.srt", "srt", "en", null, false, false),
            new Sidecar(4, "Subs/movie.eng.forced.srt", "srt", "en", null, true, false),
            new Sidecar(5, "Subs/Movie.2019.pt-BR.srt", "srt", "pt-BR", null, false, false));
    private final List<Track> embedded = List.of(
            new Track(0, 2, "hdmv_pgs_subtitle", "fr", null, false, false, false),
            new Track(1, 3, "ass", "fr", "Signs", false, true, false),
            new Track(2, 4, "subrip", "de", null, false, false, false));
    private final List<SubtitleFile> online = List.of(
            new SubtitleFile(11, "fr", "hi.popular", 90_000, true, true, null, false, false),
            new SubtitleFile(12, "fr", "trusted", 500, false, true, null, false, false),
            new SubtitleFile(13, "fr", "popular", 9_000, false, false, null, false, false),
            new SubtitleFile(14, "fr", "machine", 99_000, false, true, null, false, true),
            new SubtitleFile(15, "fr", "third", 100, false, false, null, false, false),
            new SubtitleFile(21, "en", "en.best", 5_000, false, true, null, true, false),
            new SubtitleFile(22, "en", "en.second", 4_000, false, true, null, false, false),
            new SubtitleFile(31, "es", "only.hi", 10, true, false, null, false, false));

    @Test
    void theViewersLanguageThenEnglishThenTheOthersWithOneDefaultEach() {
        List<SubtitleTrack> tracks = SubtitleTracks.merge(HASH, sidecars, embedded, online, "fr", Locale.FRENCH);

        assertThat(tracks).containsExactly(
                // French: the forced embedded track is listed but not default; best two OpenSubtitles files
                new SubtitleTrack("opensubtitles-12", "fr", "Français", "trusted", SubtitleSource.OPENSUBTITLES, 12, true, false, false),
                new SubtitleTrack("opensubtitles-13", "fr", "Français", "popular", SubtitleSource.OPENSUBTITLES, 13, false, false, false),
                new SubtitleTrack("embedded-c12f0a8d-1", "fr", "Français", "Signs", SubtitleSource.EMBEDDED, 1, false, true, false),
                // English: the torrent's file first; one OpenSubtitles file because the torrent has its own
                new SubtitleTrack("sidecar-c12f0a8d-3", "en", "Anglais", null, SubtitleSource.SIDECAR, 3, true, false, false),
                new SubtitleTrack("opensubtitles-21", "en", "Anglais", "en.best", SubtitleSource.OPENSUBTITLES, 21, false, false, false),
                new SubtitleTrack("sidecar-c12f0a8d-4", "en", "Anglais", null, SubtitleSource.SIDECAR, 4, false, true, false),
                // others by name, none default
                new SubtitleTrack("embedded-c12f0a8d-2", "de", "Allemand", null, SubtitleSource.EMBEDDED, 2, false, false, false),
                new SubtitleTrack("opensubtitles-31", "es", "Espagnol", "only.hi", SubtitleSource.OPENSUBTITLES, 31, false, false, true),
                new SubtitleTrack("sidecar-c12f0a8d-5", "pt-BR", "Portugais (Brésil)", null, SubtitleSource.SIDECAR, 5, false, false, false));
        assertThat(tracks).allMatch(t -> t.id().matches("[a-z0-9-]+"));
        assertThat(SubtitleTracks.find(tracks, "sidecar-c12f0a8d-5")).map(SubtitleTrack::ref).contains(5L);
        assertThat(SubtitleTracks.find(tracks, "sidecar-00000000-5")).isEmpty();
    }

    @Test
    void anEnglishViewerGetsOneDefaultTrack() {
        List<SubtitleTrack> tracks = SubtitleTracks.merge(HASH, sidecars, List.of(), online, "en", Locale.ENGLISH);

        assertThat(tracks.stream().filter(SubtitleTrack::isDefault)).extracting(SubtitleTrack::id).containsExactly("sidecar-c12f0a8d-3");
        assertThat(tracks.getFirst().label()).isEqualTo("English");
        assertThat(tracks).extracting(SubtitleTrack::language).startsWith("en", "en", "en");
    }

    @Test
    void aPortugueseViewerGetsTheBrazilianFileAsDefault() {
        List<SubtitleTrack> tracks = SubtitleTracks.merge(null, sidecars, List.of(), List.of(), "pt", Locale.ENGLISH);

        assertThat(tracks.getFirst()).isEqualTo(
                new SubtitleTrack("sidecar-0-5", "pt-BR", "Portuguese (Brazil)", null, SubtitleSource.SIDECAR, 5, true, false, false));
    }
}
