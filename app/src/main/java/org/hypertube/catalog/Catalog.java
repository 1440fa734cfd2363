package org.hypertube.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hypertube.catalog.FilmMerge.Merged;
import org.hypertube.catalog.source.FilmQuery;
import org.hypertube.catalog.source.FilmSource;
import org.hypertube.catalog.source.SourceFilm;
import org.hypertube.catalog.source.SourceTorrent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The library: asks every source at once, merges what they say by film identity, keeps each film
 * seen in the database, and answers pages even when some sources fail or are slow.
 */
@Service
public class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    /** One page of the library. {@code incomplete}: a source failed or was too slow, results may be missing. */
    public record Page(List<Film> films, boolean incomplete, boolean hasMore, boolean noSourceAnswered) {
    }

    /** A film page's data. */
    public record Details(Film film, List<FilmTorrent> torrents, boolean incomplete) {
    }

    private record PageKey(FilmQuery query, int page, Locale locale) {
    }

    /** A page's films (read-only, sorted) read for {@code fetched} when {@code filmWrites} was {@code writes}. */
    private record Shown(Fetched fetched, long writes, List<Film> films) {
    }

    /** What the sources said for one page; {@code stored} remembers the films already saved for it. */
    private record Fetched(List<Merged> films, Set<String> failed, boolean exhausted, int asked, Map<String, Long> stored) {
    }

    private final List<FilmSource> sources;
    private final FilmRepository films;
    private final FilmTorrentRepository torrents;
    private final FilmTextRepository texts;
    private final CatalogProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final SourceCalls calls;
    private final Cache<PageKey, Fetched> pages = Caffeine.newBuilder()
            .maximumSize(2_000).expireAfterWrite(Duration.ofMinutes(10)).build();
    /**
     * Pages as last read from the database, so that a page viewed again costs no query. One is used while
     * its sources' answer is the same and no film was written here since ({@link #filmWrites}); the short
     * lifetime bounds how long another instance's writes (several instances on one database) go unseen.
     */
    private final Cache<PageKey, Shown> shown = Caffeine.newBuilder()
            .maximumSize(2_000).expireAfterWrite(Duration.ofSeconds(30)).build();
    private record GenreKey(Genres.Genre genre, int max, Locale locale) {
    }

    /** A value read when {@link #filmWrites} was {@code writes}. */
    private record Written<T>(long writes, T value) {
    }

    /** The genre rows' films, read again after a film is written here, and after a minute (other instances). */
    private final Cache<GenreKey, Written<List<Film>>> genreRows = Caffeine.newBuilder()
            .maximumSize(200).expireAfterWrite(Duration.ofMinutes(1)).build();
    /** Counts writes of films and their texts, bumped after they are committed. */
    private final java.util.concurrent.atomic.AtomicLong filmWrites = new java.util.concurrent.atomic.AtomicLong();

    Catalog(List<FilmSource> sources, FilmRepository films, FilmTorrentRepository torrents, FilmTextRepository texts,
            CatalogProperties properties, TransactionTemplate transaction, Clock clock, SourceCalls calls) {
        this.sources = List.copyOf(sources);
        this.calls = calls;
        this.films = films;
        this.torrents = torrents;
        this.texts = texts;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
        log.info("catalog sources: {}", this.sources.stream().map(FilmSource::name).toList());
    }

    /** Page {@code page} (1-based) of the films matching the query, merged across sources. */
    public Page browse(FilmQuery query, int page) {
        int p = Math.max(1, Math.min(page, properties.maxPages()));
        Set<String> shownBefore = new HashSet<>();
        for (int earlier = 1; earlier < p; earlier++) {
            fetch(query, earlier).films().forEach(m -> shownBefore.addAll(m.keys()));
        }
        Fetched fetched = fetch(query, p);
        PageKey key = new PageKey(query, p, LocaleContextHolder.getLocale());
        Shown known = shown.getIfPresent(key);
        if (known == null || known.fetched() != fetched || known.writes() != filmWrites.get()) {
            known = read(query, fetched, shownBefore);
            shown.put(key, known);
        }
        return new Page(known.films(), !fetched.failed().isEmpty(), !fetched.exhausted() && p < properties.maxPages(),
                fetched.asked() > 0 && fetched.failed().size() == fetched.asked());
    }

    /** The page's films from the database, new ones stored first, localized and sorted. */
    private Shown read(FilmQuery query, Fetched fetched, Set<String> shownBefore) {
        List<Merged> fresh = fetched.films().stream()
                .filter(m -> m.keys().stream().noneMatch(shownBefore::contains))
                .filter(m -> matches(m.film(), query))
                .toList();
        // A page seen before (cached) is read back in one query; only new films are written.
        List<Long> ids = new ArrayList<>(fresh.size());
        for (Merged merged : fresh) {
            ids.add(fetched.stored().computeIfAbsent(merged.key(), k -> keep(merged).getId()));
        }
        long writes = filmWrites.get(); // before reading: a write committed meanwhile makes this read stale
        Map<Long, Film> byId = new HashMap<>();
        films.findByIds(ids).forEach(f -> byId.put(f.getId(), f));
        List<Film> saved = new ArrayList<>(ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList());
        localize(saved);
        sort(saved, query);
        return new Shown(fetched, writes, List.copyOf(saved));
    }

    /** The front page's films, popular first. */
    public Page popular(int page) {
        return browse(FilmQuery.popular(), page);
    }

    /**
     * Up to {@code max} films of the library in this genre, best rated first, in the reader's language.
     * The statement scans the films table, so its answer is kept per genre and language while no film is
     * written, a minute at most (the home page shows three genres on every view).
     */
    public List<Film> inGenre(Genres.Genre genre, int max) {
        var key = new GenreKey(genre, max, LocaleContextHolder.getLocale());
        Written<List<Film>> known = genreRows.getIfPresent(key);
        if (known == null || known.writes() != filmWrites.get()) {
            long writes = filmWrites.get(); // before reading: a write committed meanwhile makes this read stale
            List<Film> found = films.withGenre("%" + genre.name().toLowerCase(Locale.ROOT) + "%",
                    org.springframework.data.domain.PageRequest.of(0, max));
            localize(found);
            known = new Written<>(writes, List.copyOf(found));
            genreRows.put(key, known);
        }
        return known.value();
    }

    public Optional<Film> find(long id) {
        return films.findById(id);
    }

    /** Films' titles in the reader's language, by id, in one query (for lists that name films). */
    public Map<Long, String> titles(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Film> found = films.findByIds(ids);
        localize(found);
        Map<Long, String> titles = new HashMap<>();
        found.forEach(f -> titles.put(f.getId(), f.getLocalTitle()));
        return titles;
    }

    /** These films, in the order given (unknown ids left out). */
    public List<Film> films(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Film> byId = new java.util.HashMap<>();
        films.findByIds(ids).forEach(f -> byId.put(f.getId(), f));
        List<Film> found = ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        localize(found);
        return found;
    }

    public boolean exists(long id) {
        return films.existsById(id);
    }

    /** A film with its details and torrents, asking the sources again when what we have is old. */
    public Optional<Details> details(long id) {
        Optional<Film> found = films.findById(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Film film = found.get();
        boolean incomplete = false;
        Instant fetchedAt = film.getDetailsFetchedAt();
        if (fetchedAt == null || fetchedAt.plus(properties.detailsMaxAge()).isBefore(clock.instant())) {
            incomplete = refresh(film);
        }
        Film shown = films.findById(id).orElse(film);
        localize(List.of(shown));
        return Optional.of(new Details(shown, torrents.findByFilmIdOrderBySeedsDesc(id), incomplete));
    }

    /** Asks the sources again for what they know of the film and stores it; true when some failed. */
    boolean refresh(Film film) {
        Map<String, String> ids = film.sourceIds();
        String imdb = film.getImdbId();
        Locale locale = LocaleContextHolder.getLocale();
        Map<String, Future<Optional<SourceFilm>>> asked = new LinkedHashMap<>();
        Set<String> failed = new TreeSet<>();
        List<SourceFilm> answers = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FilmSource source : sources) {
                String own = ids.get(source.name());
                if (imdb == null && own == null) {
                    continue;
                }
                asked.put(source.name(), executor.submit(() -> calls.run(source, "details", locale, () -> source.details(imdb, own))));
            }
            long deadline = System.nanoTime() + properties.sourceBudget().toNanos();
            for (var entry : asked.entrySet()) {
                try {
                    entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).ifPresent(answers::add);
                } catch (TimeoutException | ExecutionException e) {
                    entry.getValue().cancel(true);
                    failed.add(entry.getKey());
                    log.warn("film {}: source {} gave no details: {}", film.getId(), entry.getKey(), reason(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.add(entry.getKey());
                }
            }
            executor.shutdownNow();
        }
        if (!answers.isEmpty()) {
            Merged merged = Merged.of(answers);
            try {
                store(film, merged, answers, locale);
            } finally {
                filmWrites.incrementAndGet();
            }
            log.info("film {} ({}) details refreshed from {}", film.getId(), imdb, answers.stream().map(SourceFilm::source).toList());
        }
        return !failed.isEmpty();
    }

    /** Writes what the sources said of the film and its torrents, in one transaction. */
    private void store(Film film, Merged merged, List<SourceFilm> answers, Locale locale) {
        transaction.executeWithoutResult(status -> {
            Film current = films.findById(film.getId()).orElseThrow();
            apply(current, merged, locale.getLanguage());
            current.setDetailsFetchedAt(clock.instant());
            films.save(current);
            Map<String, List<SourceTorrent>> bySource = new HashMap<>();
            answers.forEach(a -> bySource.computeIfAbsent(a.source(), s -> new ArrayList<>()).addAll(a.torrents()));
            bySource.forEach((source, offered) -> {
                torrents.deleteByFilmIdAndSource(current.getId(), source);
                offered.stream().filter(t -> t.uri() != null && t.uri().length() <= 4000).forEach(t -> torrents.save(
                        new FilmTorrent(current.getId(), source, t.infoHash(), t.name(), t.quality(), Math.max(0, t.sizeBytes()),
                                t.seeds(), t.peers(), t.uri(), clock.instant())));
            });
        });
    }

    /** One fetch per page at a time: concurrent viewers of the same page wait for the same answer. */
    private Fetched fetch(FilmQuery query, int page) {
        Locale locale = LocaleContextHolder.getLocale();
        PageKey key = new PageKey(query, page, locale);
        Fetched fetched = pages.get(key, k -> ask(query, page, locale));
        if (!fetched.failed().isEmpty()) {
            pages.invalidate(key); // a page with a failed source is asked again next time
        }
        return fetched;
    }

    private Fetched ask(FilmQuery query, int page, Locale locale) {
        List<FilmSource> answering = sources.stream().filter(s -> s.answers(query)).toList();
        Map<String, Future<List<SourceFilm>>> asked = new LinkedHashMap<>();
        List<List<SourceFilm>> results = new ArrayList<>();
        Set<String> failed = new TreeSet<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FilmSource source : answering) {
                asked.put(source.name(), executor.submit(() -> calls.run(source, "find", locale, () -> source.find(query, page))));
            }
            long deadline = System.nanoTime() + properties.sourceBudget().toNanos();
            for (var entry : asked.entrySet()) {
                try {
                    results.add(entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException | ExecutionException e) {
                    entry.getValue().cancel(true);
                    failed.add(entry.getKey());
                    log.warn("source {} failed for page {} of {}: {}", entry.getKey(), page, describe(query), reason(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.add(entry.getKey());
                }
            }
            executor.shutdownNow();
        }
        boolean exhausted = results.stream().allMatch(List::isEmpty);
        return new Fetched(FilmMerge.interleave(results), failed, exhausted, answering.size(),
                new java.util.concurrent.ConcurrentHashMap<>());
    }

    /**
     * Saves a film seen in a listing, creating it or filling in what we learnt; returns the stored film.
     * The film's main title is the English one; a reader of another language gets theirs from film_texts.
     * A film first seen by a reader of another language than English is therefore named by its English
     * title when a source gave it ({@link Merged#untranslatedTitle()}): a source that does not translate
     * (YTS, the Internet Archive), else TMDB's {@code original_title} of a film whose original language is
     * English. Otherwise (only TMDB describes it and the film was not made in English) it is named by that
     * reader's title until an English reader's listing or film page names it in English: an English reader's
     * listing always replaces the main title of the film it is matched to (by IMDb id, else title and year).
     * Known limit: TMDB's lists carry no IMDb id, so such a film listed by TMDB alone under an English title
     * other than the first reader's is matched by title and year to no film, and stored a second time.
     */
    Film keep(Merged merged) {
        String language = LocaleContextHolder.getLocale().getLanguage();
        for (int attempt = 0; ; attempt++) {
            try {
                return transaction.execute(status -> {
                    SourceFilm f = merged.film();
                    // A film first seen in another language than English is named by its English title when a
                    // source gave it (the reader's title goes to film_texts), so English readers do not get, say,
                    // the French title until someone reads it in English.
                    String title = !"en".equals(language) && merged.untranslatedTitle() != null ? merged.untranslatedTitle() : f.title();
                    String imdb = FilmIdentity.imdbId(f.imdbId());
                    Optional<Film> existing = imdb != null
                            ? films.findByImdbIdIn(List.of(imdb)).stream().findFirst()
                            : films.findFirstByImdbIdIsNullAndTitleKeyAndYear(FilmIdentity.titleKey(title), f.year());
                    Film film = existing.orElseGet(() -> new Film(title, f.year(), clock.instant()));
                    apply(film, merged, language);
                    return films.saveAndFlush(film);
                });
            } catch (DataIntegrityViolationException race) {
                if (attempt > 0) {
                    throw race;
                }
                // another request stored the same film a moment ago: read it and fill it in
            } finally {
                filmWrites.incrementAndGet();
            }
        }
    }

    /**
     * Takes every field the sources gave; keeps what we had where they gave nothing. Titles and
     * summaries asked for in another language than English go to film_texts, so that one reader's
     * language never replaces another's.
     */
    private void apply(Film film, Merged merged, String language) {
        SourceFilm f = merged.film();
        boolean english = "en".equals(language) || film.getTitle() == null;
        if (!"en".equals(language)) {
            if (film.getId() == null) {
                films.saveAndFlush(film);
            }
            FilmText text = texts.findById(new FilmText.Key(film.getId(), language))
                    .orElseGet(() -> new FilmText(film.getId(), language));
            text.set(f.title(), f.summary());
            texts.save(text);
        }
        if (film.getImdbId() == null && FilmIdentity.imdbId(f.imdbId()) != null) {
            film.setImdbId(FilmIdentity.imdbId(f.imdbId()));
        }
        if (english && f.title() != null && !f.title().isBlank()) {
            film.setTitle(f.title());
        }
        if (f.year() != null) {
            film.setYear(f.year());
        }
        if (f.rating() != null && f.rating() >= 0 && f.rating() <= 10) {
            film.setRating(f.rating());
        }
        if (f.runtimeMinutes() != null && f.runtimeMinutes() > 0) {
            film.setRuntimeMinutes(f.runtimeMinutes());
        }
        if (!f.genres().isEmpty()) {
            film.setGenres(f.genres());
        }
        if ((english || film.getSummary() == null) && f.summary() != null) {
            film.setSummary(f.summary());
        }
        if (isWebUrl(f.coverUrl())) {
            film.setCoverUrl(f.coverUrl());
        }
        if (isWebUrl(f.backdropUrl())) {
            film.setBackdropUrl(f.backdropUrl());
        }
        if (f.director() != null) {
            film.setDirector(f.director());
        }
        if (!f.producers().isEmpty()) {
            film.setProducers(f.producers());
        }
        if (!f.cast().isEmpty()) {
            film.setCast(f.cast());
        }
        Map<String, String> ids = new LinkedHashMap<>(film.sourceIds());
        ids.putAll(merged.sourceIds());
        film.setSourceIds(ids);
        film.touch(clock.instant());
    }

    void localize(List<Film> shown) {
        String language = LocaleContextHolder.getLocale().getLanguage();
        if ("en".equals(language) || shown.isEmpty()) {
            return;
        }
        Map<Long, Film> byId = new HashMap<>();
        shown.forEach(f -> byId.put(f.getId(), f));
        texts.findByFilmIdInAndLanguage(byId.keySet(), language).forEach(t -> byId.get(t.filmId()).localize(t));
    }

    static boolean matches(SourceFilm film, FilmQuery query) {
        if (query.yearFrom() != null && (film.year() == null || film.year() < query.yearFrom())) {
            return false;
        }
        if (query.yearTo() != null && (film.year() == null || film.year() > query.yearTo())) {
            return false;
        }
        if (query.minRating() != null && (film.rating() == null || film.rating() < query.minRating())) {
            return false;
        }
        if (query.maxRating() != null && (film.rating() == null || film.rating() > query.maxRating())) {
            return false;
        }
        return query.genre() == null || film.genres().stream().anyMatch(g -> Genres.same(g, query.genre()));
    }

    private static void sort(List<Film> list, FilmQuery query) {
        Comparator<Film> order = switch (query.sort() == null ? FilmQuery.Sort.POPULARITY : query.sort()) {
            case TITLE -> Comparator.comparing(Film::sortKey);
            case YEAR -> Comparator.comparing(Film::getYear, Comparator.nullsLast(Comparator.reverseOrder()));
            case RATING -> Comparator.comparing(Film::getRating, Comparator.nullsLast(Comparator.reverseOrder()));
            case POPULARITY -> null;
        };
        if (order != null) {
            list.sort(order);
        }
    }

    private static boolean isWebUrl(String url) {
        return url != null && (url.startsWith("https://") || url.startsWith("http://")) && url.length() <= 1000;
    }

    private static String reason(Exception e) {
        if (e instanceof TimeoutException) {
            return "no answer in time";
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String describe(FilmQuery query) {
        return query.isSearch() ? "search" : "discover";
    }
}
