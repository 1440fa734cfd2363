package org.hypertube.playback;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the owner of a download serves the other instances, on the cluster listener only ({@link InternalOnly}
 * checks the listener and the HMAC first): the film file of a torrent it runs, by HTTP ranges (a read waits
 * for verified pieces and steers this engine like a local reader's), and how much of it is readable.
 * Requests name an info-hash, never a path; a film this instance does not run itself is a 404.
 */
@Controller
class ClusterController {

    static final String MEDIA = "/cluster/media/";

    private final Playback playback;

    ClusterController(Playback playback) {
        this.playback = playback;
    }

    /** Sessions, CSRF and sign-in are for people: this chain only lets through what InternalOnly verified. */
    @Bean
    @Order(0)
    static SecurityFilterChain clusterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/cluster/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @RequestMapping(path = MEDIA + "{hash:[0-9a-f]{40}}", method = {RequestMethod.GET, RequestMethod.HEAD})
    void media(@PathVariable String hash, HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaFile file = playback.localMedia(hash).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        playback.used(hash);
        RangeResponse.serve(request, response, file);
    }

    /** "readable peers rate progress": bytes readable at once from {@code from}, and the swarm as this engine sees it. */
    @GetMapping(path = MEDIA + "{hash:[0-9a-f]{40}}/status")
    ResponseEntity<String> status(@PathVariable String hash, @RequestParam(defaultValue = "0") long from) {
        MediaFile file = playback.localMedia(hash).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        RemoteMedia.Status s = playback.swarm(hash, file, from);
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                .body(String.format(Locale.ROOT, "%d %d %d %.4f", s.readable(), s.peers(), s.rate(), s.progress()));
    }
}
