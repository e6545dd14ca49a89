FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY reviewapp reviewapp
COPY screening screening
COPY extraction extraction
COPY riskofbias riskofbias
COPY analysis analysis
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=collectstatic-only-key-that-is-long-enough-0123456789abcdef python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "reviewapp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
