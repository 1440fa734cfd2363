package org.hypertube.comment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.hypertube.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Posting, editing and deleting comments, with who-may-do-what checked on every call. */
@Service
@Transactional
public class CommentService {

    static final int MAX_LENGTH = 1000;
    static final int PAGE_SIZE = 20;
    /** Posts per member per minute; more is flooding. */
    static final int RATE = 5;

    private static final Logger log = LoggerFactory.getLogger(CommentService.class);

    /** Why a comment was refused; {@code code} is a message key. */
    public static final class Refused extends RuntimeException {
        final String code;

        Refused(String code) {
            super(code);
            this.code = code;
        }

        /** The message key saying why. */
        public String code() {
            return code;
        }
    }

    /** The comment exists but this member may not do that to it. */
    public static final class Forbidden extends RuntimeException {
    }

    private final CommentRepository comments;
    private final Catalog catalog;
    private final Clock clock;
    private final Cache<Long, AtomicInteger> recentPosts = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

    CommentService(CommentRepository comments, Catalog catalog, Clock clock) {
        this.comments = comments;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Page<Comment> forFilm(long filmId, int page) {
        return comments.findByFilmIdOrderByCreatedAtDescIdDesc(filmId, PageRequest.of(Math.max(0, page), PAGE_SIZE));
    }

    /** One film's comments, newest first, {@code size} (1..100) a page. */
    @Transactional(readOnly = true)
    public Page<Comment> forFilm(long filmId, int page, int size) {
        return comments.findByFilmIdOrderByCreatedAtDescIdDesc(filmId,
                PageRequest.of(Math.max(0, page), Math.min(100, Math.max(1, size))));
    }

    @Transactional(readOnly = true)
    public Page<Comment> latest(int page, int size) {
        return comments.findAllByOrderByCreatedAtDescIdDesc(PageRequest.of(Math.max(0, page), Math.min(100, Math.max(1, size))));
    }

    @Transactional(readOnly = true)
    public Page<Comment> byMember(long memberId, int count) {
        return comments.findByMemberIdOrderByCreatedAtDescIdDesc(memberId, PageRequest.of(0, Math.min(50, Math.max(1, count))));
    }

    @Transactional(readOnly = true)
    public long countForFilm(long filmId) {
        return comments.countByFilmId(filmId);
    }

    public Comment post(long filmId, long memberId, String text) {
        String body = clean(text);
        if (!catalog.exists(filmId)) {
            throw new Refused("comment.noFilm");
        }
        if (recentPosts.get(memberId, id -> new AtomicInteger()).incrementAndGet() > RATE) {
            throw new Refused("comment.tooFast");
        }
        Comment saved = comments.save(new Comment(filmId, memberId, body, clock.instant()));
        log.info("member {} commented on film {} (comment {})", memberId, filmId, saved.getId());
        return saved;
    }

    public Comment edit(long commentId, long memberId, String text) {
        Comment comment = comments.findById(commentId).orElseThrow(() -> new Refused("comment.notFound"));
        if (comment.getMemberId() != memberId) {
            throw new Forbidden();
        }
        comment.edit(clean(text), clock.instant());
        return comment;
    }

    /** Deletes the comment; its author or an administrator may. Returns the film it was on. */
    public long delete(long commentId, long memberId, boolean admin) {
        Comment comment = comments.findById(commentId).orElseThrow(() -> new Refused("comment.notFound"));
        if (comment.getMemberId() != memberId && !admin) {
            throw new Forbidden();
        }
        comments.delete(comment);
        log.info("comment {} on film {} deleted by member {}", commentId, comment.getFilmId(), memberId);
        return comment.getFilmId();
    }

    @Transactional(readOnly = true)
    public java.util.Optional<Comment> find(long commentId) {
        return comments.findById(commentId);
    }

    @Transactional(readOnly = true)
    Comment get(long commentId) {
        return comments.findById(commentId).orElseThrow(() -> new Refused("comment.notFound"));
    }

    private static String clean(String text) {
        String body = text == null ? "" : text.strip().replace("\r\n", "\n");
        if (body.isEmpty()) {
            throw new Refused("comment.empty");
        }
        if (body.codePointCount(0, body.length()) > MAX_LENGTH) {
            throw new Refused("comment.tooLong");
        }
        return body;
    }
}
