#ifndef RQ_CHTTPPARSER_H
#define RQ_CHTTPPARSER_H
#include <http_parser.h>
#endif
