# Listening projects, evaluation and impact reports arrive with the evaluation issue.
