package org.hypertube.playback;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hypertube.playback.media.ContainerHeaders;
import org.hypertube.playback.media.Decision;
import org.hypertube.playback.media.Delivery;
import org.hypertube.playback.media.MediaException;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.media.Prober;
import org.hypertube.playback.media.Quality;
import org.hypertube.torrent.TorrentStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What each download's film holds (codecs, tracks, duration), found once per file in the background.
 * MP4/MOV and Matroska/WebM are read by our own container readers as soon as their headers are verified
 * ({@link ContainerHeaders}: a few small reads, no process); when that gives direct play or a remux, ffprobe
 * is not run at all (a remux copies the video: it needs the streams and the duration, which the headers
 * give, and the keyframes, which it reads from the film's index). Other containers, headers our readers
 * cannot read, and films that will be transcoded (the transcode wants ffprobe's frame rates) go to ffprobe.
 */
@Component
class FilmProbes {

    private static final Logger log = LoggerFactory.getLogger(FilmProbes.class);
    /** A failed probe is tried again after this long (the swarm may have come back). */
    static final Duration RETRY = Duration.ofSeconds(30);
    /** One read of the header reader may wait this long for its pieces before ffprobe is tried. */
    static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param fromHeaders the probe came from our container readers (good for direct play and remuxes)
     * @param full        ffprobe was asked for (a conversion needs it)
     */
    record State(MediaProbe probe, String error, Instant at, boolean running, boolean fromHeaders, boolean full) {}

    /** Where the header reader waits for pieces: an offset in the film and how many bytes it wants there. */
    record Reading(long offset, long length) {}

    private final Prober prober;
    private final InternalMedia internal;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, Reading> reading = new ConcurrentHashMap<>();
    private final Map<String, Instant> asked = new ConcurrentHashMap<>();
    private final AtomicLong headerDecisions = new AtomicLong();
    private final AtomicLong ffprobeRuns = new AtomicLong();

    FilmProbes(Prober prober, InternalMedia internal, Clock clock, ApplicationEventPublisher events) {
        this.prober = prober;
        this.internal = internal;
        this.clock = clock;
        this.events = events;
    }

    /** Someone pressed Play on this download: the time Play → decision is counted from the first ask. */
    void asked(String infoHash) {
        asked.putIfAbsent(infoHash, clock.instant());
    }

    /** Whether someone pressed Play on this download (its probe is wanted as soon as the file is known). */
    boolean wasAsked(String infoHash) {
        return asked.containsKey(infoHash);
    }

    /** Published when a probe of a download's film ends (decided, or failed): pages waiting for it are told now. */
    record Probed(String infoHash) {}

    /**
     * The probe of the film so far, started in the background when there is none (or the last one failed
     * long enough ago). With {@code full}, a probe from the headers is not enough: ffprobe runs.
     */
    State probe(MediaFile file, boolean full) {
        String key = file.infoHash();
        State state = states.get(key);
        Instant now = clock.instant();
        if (state != null) {
            boolean enough = state.probe() != null && (!full || !state.fromHeaders());
            boolean failedLately = state.error() != null && Duration.between(state.at(), now).compareTo(RETRY) < 0;
            if (enough || state.running() || failedLately) {
                return state;
            }
        }
        boolean ffprobeOnly = full || (state != null && state.full());
        // While ffprobe runs for a conversion, the headers' probe still serves direct play to the others.
        MediaProbe kept = state != null && state.fromHeaders() ? state.probe() : null;
        State running = new State(kept, null, now, true, kept != null, ffprobeOnly);
        if (state == null ? states.putIfAbsent(key, running) != null : !states.replace(key, state, running)) {
            return states.get(key);
        }
        Thread.ofVirtual().name("probe-" + key).start(() -> {
            try {
                run(file, ffprobeOnly, kept);
            } finally {
                events.publishEvent(new Probed(key));
            }
        });
        return running;
    }

    private void run(MediaFile file, boolean ffprobeOnly, MediaProbe kept) {
        String key = file.infoHash();
        long started = System.nanoTime();
        if (!ffprobeOnly) {
            MatroskaTail.prefetch(file, HEADER_READ_TIMEOUT);
            Optional<MediaProbe> headers = headers(file);
            if (headers.isPresent()) {
                states.put(key, new State(headers.get(), null, clock.instant(), false, true, false));
                headerDecisions.incrementAndGet();
                log.info("{} read from its container headers in {} ms ({} ms after Play): {} {} s, video {}, audio {};"
                                + " {} without ffprobe", key, (System.nanoTime() - started) / 1_000_000,
                        sincePlay(key), headers.get().formats().getFirst(), Math.round(headers.get().duration()),
                        headers.get().video().stream().map(MediaProbe.VideoStream::codec).toList(),
                        headers.get().audio().stream().map(MediaProbe.AudioStream::codec).toList(),
                        Decision.decide(headers.get(), -1, Quality.DEFAULT).mode() == Delivery.DIRECT ? "direct play" : "remux");
                return;
            }
        }
        String url = internal.url(key);
        try {
            ffprobeRuns.incrementAndGet();
            MediaProbe result = prober.probe(url);
            states.put(key, new State(result, null, clock.instant(), false, false, true));
            log.info("{} probed by ffprobe in {} ms ({} ms after Play): {} {} s, video {}, audio {}", key,
                    (System.nanoTime() - started) / 1_000_000, sincePlay(key), result.formats(),
                    Math.round(result.duration()), result.video().stream().map(MediaProbe.VideoStream::codec).toList(),
                    result.audio().stream().map(MediaProbe.AudioStream::codec).toList());
        } catch (RuntimeException e) {
            // The player shows this error, so it names the film, never the internal address ffprobe read.
            String error = String.valueOf(e.getMessage()).replace(url, "the film");
            states.put(key, new State(kept, error, clock.instant(), false, kept != null, ffprobeOnly));
            log.warn("{} probe failed: {}", key, error);
        }
    }

    /** Our readers' probe when it decides direct play or a remux for the default audio; empty to leave it to ffprobe. */
    private Optional<MediaProbe> headers(MediaFile file) {
        String key = file.infoHash();
        try (SeekableByteChannel channel = file.open()) {
            if (channel instanceof TorrentStream stream) {
                stream.setReadTimeout(HEADER_READ_TIMEOUT);
            }
            Optional<MediaProbe> probe = ContainerHeaders.read(new WatchedChannel(channel,
                    (offset, length) -> reading.put(key, new Reading(offset, length))));
            if (probe.isPresent() && Decision.decide(probe.get(), -1, Quality.DEFAULT).mode() == Delivery.TRANSCODE) {
                log.info("{} headers read: {} would be transcoded; ffprobe reads it", key,
                        probe.get().video().stream().map(MediaProbe.VideoStream::codec).toList());
                return Optional.empty();
            }
            return probe;
        } catch (IOException | MediaException e) {
            log.info("{} headers not read ({}); ffprobe reads them", key, e.toString());
            return Optional.empty();
        } finally {
            reading.remove(key);
        }
    }

    private long sincePlay(String infoHash) {
        Instant play = asked.get(infoHash);
        return play == null ? -1 : Duration.between(play, clock.instant()).toMillis();
    }

    /** What our header reader waits for now, if it waits. */
    Optional<Reading> reading(String infoHash) {
        return Optional.ofNullable(reading.get(infoHash));
    }

    /** Whichever probe there is: from the headers or from ffprobe. */
    Optional<MediaProbe> probed(String infoHash) {
        return Optional.ofNullable(states.get(infoHash)).map(State::probe);
    }

    /** ffprobe's probe, which transcodes need; empty while there is only the headers' one. */
    Optional<MediaProbe> full(String infoHash) {
        return Optional.ofNullable(states.get(infoHash)).filter(s -> !s.fromHeaders()).map(State::probe);
    }

    /** Films decided from our readers of their headers, without ffprobe. */
    long headerDecisions() {
        return headerDecisions.get();
    }

    /** ffprobe runs. */
    long ffprobeRuns() {
        return ffprobeRuns.get();
    }

    void forget(String infoHash) {
        states.remove(infoHash);
        asked.remove(infoHash);
    }
}
