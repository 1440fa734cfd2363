package org.hypertube.playback;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The film page's status pushed as server-sent events instead of polled: one stream per member and
 * film, each sending the status whenever it changes. No thread waits per viewer: one ticker looks at
 * every stream every {@link #TICK}, and a stream's status is computed on a short-lived virtual thread
 * (never two at once for one stream). A stream opened by Play itself ({@code POST .../play/events}) sends
 * Play's answer as its first event; when a probe ends, every stream is looked at at once (one busy computing
 * then is looked at again right after, not a tick later). A stream ends once the film is ready and wholly here (or can no longer start),
 * after {@link #LIFETIME}, or when the page goes away; the page then sends Play with its stream again if it
 * still waits. At most {@link #PER_MEMBER} streams per member (the oldest is
 * closed) and {@link #MAX_STREAMS} in all (refused: the page polls).
 */
@Component
class StatusEvents {

    private static final Logger log = LoggerFactory.getLogger(StatusEvents.class);
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration LIFETIME = Duration.ofMinutes(2);
    static final int PER_MEMBER = 4;
    static final int MAX_STREAMS = 2_000;
    /** Once the film plays, the status changes rarely (new subtitle addresses): looked at this often. */
    static final Duration PLAYING_TICK = Duration.ofSeconds(5);

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("status-events").factory());
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("status-event-", 0).factory());
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

    private final class Stream {
        final long memberId;
        final long filmId;
        final long opened = System.nanoTime();
        final SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
        final Supplier<Playback.Status> status;
        final AtomicBoolean busy = new AtomicBoolean();
        /** Asked to look again while busy (a probe ended meanwhile): done as soon as the current look ends. */
        final AtomicBoolean again = new AtomicBoolean();
        /** Play's own answer, sent as the first event instead of a status computed again. */
        volatile Playback.Status first;
        volatile Playback.Status last;
        volatile boolean over;
        volatile long quietUntil;

        Stream(long memberId, long filmId, Playback.Status first, Supplier<Playback.Status> status) {
            this.memberId = memberId;
            this.filmId = filmId;
            this.first = first;
            this.status = status;
        }

        /** Computes the status and sends it if it changed; ends the stream once there is nothing more to wait for. */
        void push() {
            try {
                Playback.Status now = first;
                first = null;
                if (now == null) {
                    now = status.get();
                }
                if (!Objects.equals(now, last)) {
                    last = now;
                    emitter.send(SseEmitter.event().name("status").data(now, MediaType.APPLICATION_JSON));
                    log.debug("film {}: status {} pushed to member {}", filmId, now.phase(), memberId);
                }
                if (finished(now)) {
                    end();
                } else if (now.phase() == Playback.Phase.READY) {
                    quietUntil = System.nanoTime() + PLAYING_TICK.toNanos();
                }
            } catch (IOException | IllegalStateException e) {
                // the page went away: the container reports it here or through onError
                drop();
            } catch (RuntimeException e) {
                log.warn("film {}: status for member {} failed: {}", filmId, memberId, e.toString());
                end();
            } finally {
                busy.set(false);
                if (again.getAndSet(false)) {
                    look();
                }
            }
        }

        /** Computes the status now on a virtual thread, or right after the computation under way. */
        void look() {
            if (over) {
                return;
            }
            if (!busy.compareAndSet(false, true)) {
                again.set(true);
                return;
            }
            try {
                work.execute(this::push);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                busy.set(false);
            }
        }

        void end() {
            drop();
            emitter.complete();
        }

        void drop() {
            over = true;
            streams.remove(this);
        }
    }

    StatusEvents() {
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A new stream of a member's status for a film; its first event goes out at once.
     *
     * @param status computes the status as the poll route does (same member, film and choices)
     * @return null when the server has too many streams open: the page polls instead
     */
    SseEmitter open(long memberId, long filmId, Supplier<Playback.Status> status) {
        return open(memberId, filmId, null, status);
    }

    /**
     * A new stream whose first event is Play's answer ({@code first}, computed by the caller); later ones are
     * computed by {@code status}. Past {@link #MAX_STREAMS}, the answer alone, and the stream ends: the page asks
     * again as when a stream ends.
     */
    SseEmitter open(long memberId, long filmId, Playback.Status first, Supplier<Playback.Status> status) {
        if (streams.size() >= MAX_STREAMS) {
            if (first != null) {
                return single(first);
            }
            return null;
        }
        streams.stream().filter(s -> s.memberId == memberId)
                .sorted(java.util.Comparator.comparingLong((Stream s) -> s.opened).reversed())
                .skip(PER_MEMBER - 1).forEach(Stream::end);
        Stream stream = new Stream(memberId, filmId, first, status);
        stream.emitter.onCompletion(stream::drop);
        stream.emitter.onTimeout(stream::end);
        stream.emitter.onError(e -> stream.drop());
        // Busy before it is listed: a tick or a probe's end in between cannot start a second push (which could
        // send a computed status before Play's own); the first push is the only one until it ends.
        stream.busy.set(true);
        // A probe that ended between Play's answer and this stream's start told no stream: looked at once more.
        stream.again.set(first != null && first.phase() != Playback.Phase.READY);
        streams.add(stream);
        work.execute(stream::push);
        return stream.emitter;
    }

    /** One status, and the end of the stream. */
    private static SseEmitter single(Playback.Status status) {
        SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
        try {
            emitter.send(SseEmitter.event().name("status").data(status, MediaType.APPLICATION_JSON));
            emitter.complete();
        } catch (IOException e) {
            emitter.completeWithError(e);
        }
        return emitter;
    }

    /**
     * A probe ended: the pages waiting for it get their status now, not at the next tick; a stream computing
     * its status at this moment (maybe from before the probe's end) computes it again at once.
     */
    @EventListener
    void probed(FilmProbes.Probed probed) {
        long now = System.nanoTime();
        streams.stream().filter(s -> now - s.quietUntil >= 0).forEach(Stream::look);
    }

    /** Streams open now. */
    int open() {
        return streams.size();
    }

    /**
     * READY with nothing more to tell (tracks from the growing beginning need later statuses, the seek bar
     * the parts of a film still downloading, its thumbnails the newer sets), or a phase the page stops at.
     */
    static boolean finished(Playback.Status status) {
        return switch (status.phase()) {
            case READY -> !status.subtitlesGrowing() && !status.thumbnailsGrowing() && VerifiedRanges.WHOLE.equals(status.have());
            case UNAVAILABLE, FAILED, PAUSED, LIMITED, DISK_FULL, BUSY -> true;
            default -> false;
        };
    }

    private void tick() {
        for (Stream stream : streams) {
            if (!stream.busy.get() && System.nanoTime() - stream.quietUntil >= 0) {
                stream.look();
            }
        }
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
        streams.forEach(Stream::end);
        work.shutdownNow();
    }
}
