"""Static-rule noise on releases of mature projects."""
