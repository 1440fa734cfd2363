package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebVttTest {

    private final WebVtt webVtt = WebVtt.withDefaults();

    @Test
    void aLatin1FrenchSrtKeepsItsAccentsTimesAndItalicsAndEscapesTheRest() throws Exception {
        WebVtt.Result result = webVtt.parse(Fixtures.bytes("french_latin1.srt"), "Film.fr.srt");

        assertThat(result.format()).isEqualTo(WebVtt.Format.SRT);
        assertThat(result.charset().name()).isEqualTo("windows-1252");
        assertThat(result.cues()).containsExactly(
                new Cue(1_200, 3_450, "Où êtes-vous allés, mon père ?"),
                new Cue(4_000, 6_000, "<i>Déjà vu</i> &amp; ça continue\nNoël à l'été"),
                new Cue(7_500, 9_750, "Ève a reçu 3 &lt; 5 élèves"));
        assertThat(result.vtt()).isEqualTo("""
                WEBVTT

                00:00:01.200 --> 00:00:03.450
                Où êtes-vous allés, mon père ?

                00:00:04.000 --> 00:00:06.000
                <i>Déjà vu</i> &amp; ça continue
                Noël à l'été

                00:00:07.500 --> 00:00:09.750
                Ève a reçu 3 &lt; 5 élèves

                """);
    }

    @Test
    void aWindows1251RussianSrtIsReadAsCyrillic() throws Exception {
        WebVtt.Result result = webVtt.parse(Fixtures.bytes("russian_cp1251.srt"), "ru.srt");

        assertThat(result.charset().name()).isEqualTo("windows-1251");
        assertThat(result.cues()).containsExactly(
                new Cue(2_000, 4_000, "Привет, как дела?"),
                new Cue(5_100, 7_900, "Всё хорошо, спасибо.\nСъешь же ещё этих мягких французских булок."));
    }

    @Test
    void aUtf16LittleEndianSrtLosesItsMarkAndItsCuesAreSortedAndBackwardCuesDropped() throws Exception {
        WebVtt.Result result = webVtt.parse(Fixtures.bytes("english_utf16le_bom.srt"), "en.srt");

        assertThat(result.charset()).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(result.cues()).containsExactly(
                new Cue(30_000, 31_000, "Earlier cue, listed second"),
                new Cue(60_000, 62_000, "It's a \"test\" — with a dash"));
        assertThat(result.vtt()).startsWith("WEBVTT\n\n00:00:30.000 --> 00:00:31.000\n");
    }

    @Test
    void utf8WithAndWithoutMarkAndUtf16BigEndianAreRecognised() throws Exception {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nÇa va, garçon ?\n";
        byte[] utf8 = srt.getBytes(StandardCharsets.UTF_8);
        byte[] marked = new byte[utf8.length + 3];
        marked[0] = (byte) 0xEF;
        marked[1] = (byte) 0xBB;
        marked[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, marked, 3, utf8.length);
        byte[] be = ("\uFEFF" + srt).getBytes(StandardCharsets.UTF_16BE);

        for (byte[] data : List.of(utf8, marked, be)) {
            assertThat(webVtt.parse(data, "x.srt").cues()).containsExactly(new Cue(1_000, 2_000, "Ça va, garçon ?"));
        }
        assertThat(SubtitleCharset.detect(utf8)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(SubtitleCharset.detect(be)).isEqualTo(StandardCharsets.UTF_16BE);
        assertThat(SubtitleCharset.detect(srt.getBytes(StandardCharsets.UTF_16LE))).isEqualTo(StandardCharsets.UTF_16LE);
    }

    @Test
    void assDialogueFollowsTheFormatLineStylesAndOverrides() throws Exception {
        WebVtt.Result result = webVtt.parse(Fixtures.bytes("styled.ass"), "fr.ass");

        assertThat(result.format()).isEqualTo(WebVtt.Format.ASS);
        assertThat(result.cues()).containsExactly(
                new Cue(1_500, 3_000, "<i>Bonjour</i> à tous,\nligne deux"),
                new Cue(4_000, 5_250, "PANNEAU 10"),
                new Cue(6_000, 8_100, "<i>Je pense<b> donc</b> je suis</i>"),
                new Cue(9_000, 10_000, "<u>Souligné</u> &lt;pas une balise&gt; &amp; fin"),
                new Cue(13_000, 14_000, "<b><i>Tout</i></b> normal"));
    }

    @Test
    void oldSsaWithAnotherFirstFieldAndCommasInTheText() throws Exception {
        assertThat(webVtt.parse(Fixtures.bytes("old.ssa"), "old.ssa").cues())
                .containsExactly(new Cue(2_000, 4_000, "Hello, world"));
    }

    @Test
    void assFieldOrderComesFromTheFormatLine() throws Exception {
        String ass = """
                [Events]
                Format: Start, End, Text, Style
                Dialogue: 0:00:01.00,0:00:02.00,Text first, with a comma,Default
                """;
        // the text field is not last, so only the fields up to the count are split: "with a comma,Default" stays style
        assertThat(webVtt.parse(ass.getBytes(StandardCharsets.UTF_8), "x.ass").cues())
                .containsExactly(new Cue(1_000, 2_000, "Text first"));
    }

    @Test
    void microDvdFramesUseTheDeclaredRate() throws Exception {
        WebVtt.Result result = webVtt.parse(Fixtures.bytes("microdvd.sub"), "movie.sub");

        assertThat(result.format()).isEqualTo(WebVtt.Format.MICRODVD);
        assertThat(result.cues()).containsExactly(
                new Cue(1_000, 3_000, "Première ligne\ndeuxième ligne"),
                new Cue(4_000, 6_000, "<i>Italique</i>\nnormal"),
                new Cue(8_000, 10_000, "<b>Tout en gras\naussi</b>"),
                new Cue(12_000, 14_000, "<i>Slash italique</i>"));
    }

    @Test
    void microDvdWithoutRateAssumesFilmRate() throws Exception {
        assertThat(webVtt.parse(Fixtures.bytes("microdvd_nofps.sub"), "movie.sub").cues())
                .containsExactly(new Cue(1_001, 2_002, "Sans fréquence"));
    }

    @Test
    void webVttIsNormalisedNotTrusted() throws Exception {
        String vtt = """
                WEBVTT - a title

                NOTE a comment
                that spans lines

                STYLE
                ::cue { color: yellow }

                intro
                00:05.000 --> 00:06.500 align:start line:0
                <v Bob>Tom &amp; Jerry</v> & <c.yellow>friends</c>
                <b>bold <i>both</b> still italic

                01:02:03.004 --> 01:02:04.000
                a &lt;b&gt; stays text <script>x</script>
                """;
        WebVtt.Result result = webVtt.parse(vtt.getBytes(StandardCharsets.UTF_8), "x.vtt");

        assertThat(result.format()).isEqualTo(WebVtt.Format.WEBVTT);
        assertThat(result.cues()).containsExactly(
                new Cue(5_000, 6_500, "Tom &amp; Jerry &amp; friends\n<b>bold <i>both</i></b><i> still italic</i>"),
                new Cue(3_723_004, 3_724_000, "a &lt;b&gt; stays text &lt;script&gt;x&lt;/script&gt;"));
    }

    @Test
    void srtWithoutBlankLinesOrWithBlankLinesInsideCuesLosesNoCue() throws Exception {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n2\n00:00:03,000 --> 00:00:04,000\nsecond\n\nafter a blank\n\n\n3\n"
                + "00:00:05.000 --> 00:00:06.000\n{\\an8}top <b>text</i>\n";
        assertThat(webVtt.parse(srt.getBytes(StandardCharsets.UTF_8), "x.srt").cues()).containsExactly(
                new Cue(1_000, 2_000, "first"),
                new Cue(3_000, 4_000, "second\nafter a blank"),
                new Cue(5_000, 6_000, "top <b>text</b>"));
    }

    @Test
    void emptyCuesAreDropped() throws Exception {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\n<i> </i>\n\n2\n00:00:03,000 --> 00:00:04,000\nkept\n";
        assertThat(webVtt.parse(srt.getBytes(StandardCharsets.UTF_8), "x.srt").cues())
                .containsExactly(new Cue(3_000, 4_000, "kept"));
    }

    @Test
    void tooLargeTooManyOrUnreadableFilesAreRefusedWithAReason() throws Exception {
        byte[] big = new byte[2048];
        assertThatThrownBy(() -> new WebVtt(1024, 10).parse(big, "big.srt"))
                .isInstanceOf(SubtitleException.class).hasMessage("big.srt is 2048 bytes, over the 1024-byte limit for subtitles");

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            many.append(i + 1).append("\n00:00:0").append(i).append(",000 --> 00:00:0").append(i).append(",500\ncue\n\n");
        }
        assertThatThrownBy(() -> new WebVtt(1 << 20, 3).parse(many.toString().getBytes(StandardCharsets.UTF_8), "many.srt"))
                .isInstanceOf(SubtitleException.class).hasMessage("many.srt has more than 3 cues");
        assertThat(new WebVtt(1 << 20, 4).parse(many.toString().getBytes(StandardCharsets.UTF_8), "many.srt").cues()).hasSize(4);

        assertThatThrownBy(() -> webVtt.parse("<html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8), "x.srt"))
                .isInstanceOf(SubtitleException.class).hasMessageContaining("not a subtitle format we read");
        assertThatThrownBy(() -> webVtt.parse("1\n00:00:05,000 --> 00:00:01,000\nbackwards\n".getBytes(StandardCharsets.UTF_8), "x.srt"))
                .isInstanceOf(SubtitleException.class).hasMessage("x.srt has no readable SRT cue");
    }

    @Test
    void pathologicalFilesUpToTheCapFailFast() {
        byte[] newlines = "\n".repeat((int) WebVtt.DEFAULT_MAX_BYTES).getBytes(StandardCharsets.UTF_8);
        byte[] spaces = ("00:00:01,000" + " ".repeat((int) WebVtt.DEFAULT_MAX_BYTES - 20) + "x").getBytes(StandardCharsets.UTF_8);
        byte[] brackets = "<a".repeat((int) WebVtt.DEFAULT_MAX_BYTES / 2 - 40).getBytes(StandardCharsets.UTF_8);
        byte[] cue = ("1\n00:00:01,000 --> 00:00:02,000\n").getBytes(StandardCharsets.UTF_8);
        byte[] bracketCue = new byte[cue.length + brackets.length];
        System.arraycopy(cue, 0, bracketCue, 0, cue.length);
        System.arraycopy(brackets, 0, bracketCue, cue.length, brackets.length);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> webVtt.parse(newlines, "x.srt")).hasMessageContaining("not a subtitle format");
            assertThatThrownBy(() -> webVtt.parse(spaces, "x.srt")).hasMessageContaining("not a subtitle format");
            assertThat(webVtt.parse(bracketCue, "x.srt").cues().getFirst().text()).startsWith("&lt;a&lt;a").hasSizeLessThan(1100);
        });
    }

    @Test
    void longCueTextIsCutWithoutBreakingEscapesOrTags() throws Exception {
        String text = "<i>" + "a&b ".repeat(400) + "</i>";
        String srt = "1\n00:00:01,000 --> 00:00:02,000\n" + text + "\n";
        String cue = webVtt.parse(srt.getBytes(StandardCharsets.UTF_8), "x.srt").cues().getFirst().text();

        assertThat(cue.length()).isLessThanOrEqualTo(CueText.MAX_CHARS + 4);
        assertThat(cue).startsWith("<i>a&amp;b a&amp;b").endsWith("</i>");
        assertThat(cue.replace("&amp;", "")).doesNotContain("&");
    }

    @Test
    void timestampsAreHoursMinutesSecondsMillis() {
        assertThat(WebVtt.timestamp(0)).isEqualTo("00:00:00.000");
        assertThat(WebVtt.timestamp(3_723_004)).isEqualTo("01:02:03.004");
        assertThat(WebVtt.timestamp(100L * 3600_000 - 1)).isEqualTo("99:59:59.999");
    }
}
