/** Members' comments on films. */
@org.springframework.modulith.ApplicationModule(displayName = "Comments")
package org.hypertube.comment;
