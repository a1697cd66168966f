package io.echolstm.report;

import org.jfree.chart.JFreeChart;

/**
 * One chart of the report.
 *
 * @param file the PNG's file name
 * @param title the heading above it in the page
 * @param caption what it shows and how to read it
 */
record Chart(String file, String title, String caption, JFreeChart chart, int width, int height) {}
