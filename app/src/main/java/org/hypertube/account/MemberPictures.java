package org.hypertube.account;

import java.util.concurrent.TimeUnit;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** A member's picture as an answer (the default avatar when they have none), for the profile pages and the API. */
@Component
public class MemberPictures {

    private final AccountService accounts;
    private final PictureStore pictures;

    MemberPictures(AccountService accounts, PictureStore pictures) {
        this.accounts = accounts;
        this.pictures = pictures;
    }

    public ResponseEntity<Resource> picture(long memberId) {
        var stored = accounts.find(memberId).map(Member::getPicture).flatMap(pictures::find);
        if (stored.isPresent()) {
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                    .cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES).cachePrivate())
                    .body(new FileSystemResource(stored.get()));
        }
        return ResponseEntity.ok().contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.maxAge(1, TimeUnit.HOURS).cachePrivate())
                .body(new ClassPathResource("static/img/avatar.svg"));
    }
}
