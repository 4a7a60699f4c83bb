"""Tables in, tables out (pandas, no spaCy): the reader, filters, time series, queries, evidence."""
