package org.hypertube.system;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.stereotype.Component;

/**
 * Decodes pictures from outside (uploads, covers) within bounds: the dimensions are read from the
 * header before any pixel is, and a picture wider or taller than {@value #MAX_SIDE} pixels or larger
 * than {@value #MAX_PIXELS} pixels is refused without decoding it; the rest is decoded subsampled so
 * the raster held in memory is at most about {@value #MAX_DECODED_SIDE} pixels a side (16 MB), and at
 * most {@value #AT_ONCE} pictures are decoded at once across the server.
 */
@Component
public class PictureDecoder {

    /** No side longer than this. */
    public static final int MAX_SIDE = 8000;
    /** No more pixels than this (24 megapixels, a large camera's photo). */
    public static final long MAX_PIXELS = 24_000_000L;
    /** Decoded rasters are subsampled down to about this side. */
    static final int MAX_DECODED_SIDE = 2048;
    static final int AT_ONCE = 2;
    private static final long WAIT_SECONDS = 10;

    /** Why a picture was refused. */
    public enum Reason {
        /** Not an image of a format we read, or broken. */
        NOT_AN_IMAGE,
        /** Its header names dimensions above the bound. */
        TOO_LARGE,
        /** Other pictures are being decoded and the wait ran out. */
        BUSY
    }

    /** A refused picture, with the reason. */
    public static final class RefusedPicture extends Exception {
        private final Reason reason;

        RefusedPicture(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final Semaphore decoding = new Semaphore(AT_ONCE, true);

    /** The picture, decoded subsampled (so never more than about {@value #MAX_DECODED_SIDE} pixels a side). */
    public BufferedImage decode(byte[] bytes) throws RefusedPicture {
        if (bytes == null || bytes.length == 0) {
            throw new RefusedPicture(Reason.NOT_AN_IMAGE, "empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new RefusedPicture(Reason.NOT_AN_IMAGE, "not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new RefusedPicture(Reason.NOT_AN_IMAGE, "no pixels");
                }
                if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
                    throw new RefusedPicture(Reason.TOO_LARGE, width + " x " + height + " pixels, more than "
                            + MAX_SIDE + " a side or " + MAX_PIXELS + " in all");
                }
                return read(reader, width, height);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new RefusedPicture(Reason.NOT_AN_IMAGE, "not a readable image: " + e.getMessage());
        }
    }

    private BufferedImage read(ImageReader reader, int width, int height) throws IOException, RefusedPicture {
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, (Math.max(width, height) + MAX_DECODED_SIDE - 1) / MAX_DECODED_SIDE);
        param.setSourceSubsampling(step, step, 0, 0);
        try {
            if (!decoding.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new RefusedPicture(Reason.BUSY, "other pictures are being decoded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedPicture(Reason.BUSY, "interrupted");
        }
        try {
            BufferedImage image = reader.read(0, param);
            if (image == null) {
                throw new RefusedPicture(Reason.NOT_AN_IMAGE, "not an image");
            }
            return image;
        } finally {
            decoding.release();
        }
    }
}
