"""Pure figures: DataFrame in, plotly Figure out. No database, no Streamlit.

One module per part of the app: `funnel` (Dashboard, report), `weekly` (Weekly review),
`trend` (the report's week by week), `network` (Network page, report); `style` holds what
they share. Import the module you need: this package imports nothing, so plotly loads only
where a figure is built.
"""
