package org.hypertube.playback;

import org.hypertube.account.MemberPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The player's remembered subtitle appearance: read when a film page's player starts, written when the
 * member changes it in the player's menu. Each member reaches only their own (no id in the address).
 */
@RestController
class PlayerSettingsController {

    private final PlayerSettings settings;

    PlayerSettingsController(PlayerSettings settings) {
        this.settings = settings;
    }

    @GetMapping(path = "/player/settings", produces = MediaType.APPLICATION_JSON_VALUE)
    PlayerSettings.Subtitles get(@AuthenticationPrincipal MemberPrincipal me) {
        return settings.of(me.id());
    }

    @PostMapping(path = "/player/settings", produces = MediaType.APPLICATION_JSON_VALUE)
    PlayerSettings.Subtitles save(@RequestParam String size, @RequestParam String background,
                                  @AuthenticationPrincipal MemberPrincipal me) {
        PlayerSettings.Subtitles chosen;
        try {
            chosen = new PlayerSettings.Subtitles(PlayerSettings.Size.valueOf(size),
                    PlayerSettings.Background.valueOf(background));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown subtitle appearance");
        }
        settings.save(me.id(), chosen);
        return chosen;
    }
}
