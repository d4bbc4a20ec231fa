"""Reference data: municipalities, postcodes, languages and the topic catalogue."""
