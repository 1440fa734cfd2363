package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.hypertube.TestPictures;
import org.junit.jupiter.api.Test;

/** The bounds on pictures from outside: read from the header, and what is decoded kept small. */
class PictureDecoderTest {

    private final PictureDecoder decoder = new PictureDecoder();

    @Test
    void aSideOrAPixelCountAboveTheBoundIsRefusedFromTheHeader() {
        assertThatThrownBy(() -> decoder.decode(TestPictures.blackPng(8001, 10)))
                .isInstanceOfSatisfying(PictureDecoder.RefusedPicture.class,
                        e -> assertThat(e.reason()).isEqualTo(PictureDecoder.Reason.TOO_LARGE));
        assertThatThrownBy(() -> decoder.decode(TestPictures.blackPng(6000, 4001)))
                .isInstanceOfSatisfying(PictureDecoder.RefusedPicture.class,
                        e -> assertThat(e.reason()).isEqualTo(PictureDecoder.Reason.TOO_LARGE));
        assertThatThrownBy(() -> decoder.decode("not a picture".getBytes()))
                .isInstanceOfSatisfying(PictureDecoder.RefusedPicture.class,
                        e -> assertThat(e.reason()).isEqualTo(PictureDecoder.Reason.NOT_AN_IMAGE));
    }

    @Test
    void aLargeButAllowedPictureIsDecodedSubsampled() throws Exception {
        BufferedImage image = decoder.decode(TestPictures.blackPng(8000, 3000));
        assertThat(image.getWidth()).isEqualTo(2000);
        assertThat(image.getHeight()).isEqualTo(750);
        BufferedImage small = decoder.decode(TestPictures.blackPng(300, 200));
        assertThat(small.getWidth()).isEqualTo(300);
        assertThat(small.getHeight()).isEqualTo(200);
    }
}
