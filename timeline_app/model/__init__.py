"""The data model: pure Python, pandas, numpy and pyarrow. Never imports Qt."""
