"""Writers turn a verified Plan into files; they never see solver objects."""
